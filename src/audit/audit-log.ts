import { createHmac } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import type { RequestContext } from '../platform/request-context.js';
import { APPEND_MAX_BATCH, APPEND_WINDOW_MS, createGroupCommit } from './audit-group-commit.js';
import { pseudonymiseEvents, type PseudonymiseInput } from './audit-pseudonymise.js';
import { insertChained, type PreparedEvent } from './audit-store.js';
import { chainIdOf } from './chain.js';
import type { AuditEventType } from './event-types.js';
import { applyIpPolicy, type AuditIpPolicy } from './ip-policy.js';

export type { RequestContext, PseudonymiseInput };

export const AUDIT_SCHEMA_VERSION = 1;

export type ActorType =
  'api_key' | 'user' | 'client' | 'system' | 'cli' | 'scim_directory' | 'portal_session';

export interface AuditActor {
  type: ActorType;
  id: string | null;
}

export interface AuditEventInput {
  /** Taxonomy name, e.g. "admin.org.created": one of AUDIT_EVENT_TYPES (event-types.ts). */
  type: AuditEventType;
  orgId: string | null;
  actor: AuditActor;
  target?: { type: string; id: string } | null;
  outcome?: 'success' | 'failure';
  reason?: string | null;
  context?: RequestContext | null;
  data?: Record<string, unknown>;
}

/** What the audit log needs to know about an org, from the orgs domain (wired in app.ts). */
export interface AuditPolicySource {
  /** The org's IP policy, read through q (the writer's transaction); may be cached briefly. */
  ipPolicy(q: Queryable, orgId: string): Promise<AuditIpPolicy>;
}

/**
 * The append side of the audit trail. Every event joins its org's hash chain
 * (audit-store.ts insertChained).
 */
export interface AuditLog {
  /**
   * Inside the caller's transaction: the event is durable exactly when the change it
   * records is (same commit), and never without it. Holds the org's chain head until that
   * transaction ends: do not append() to the same org from inside it.
   */
  record(tx: Queryable, event: AuditEventInput): Promise<string>;
  /**
   * Many events inside the caller's transaction, as record() does one: written in batches
   * of APPEND_MAX_BATCH rows (ending an org's 10,000 sessions is 20 statements, not 10,000).
   */
  recordAll(tx: Queryable, events: AuditEventInput[]): Promise<string[]>;
  /**
   * On its own (logins, sessions, tokens): resolves once the event is committed. Events
   * arriving together share a transaction per chain (group commit), so a burst of logins
   * costs a few commits, not one each.
   */
  append(event: AuditEventInput): Promise<string>;
  /** The stable pseudonym that replaces a user id when the user is erased. */
  pseudonymOf(userId: string): string;
  /**
   * GDPR erasure inside the caller's transaction: the user's events in the org keep their
   * place in the chain but lose the personal fields (ids and identifying strings become
   * the pseudonym; the IP and user agent are dropped unless an admin or a client acted).
   * Returns how many.
   */
  pseudonymise(
    tx: Queryable,
    input: PseudonymiseInput,
  ): Promise<{ pseudonym: string; events: number }>;
  /** Writes what is queued and waits for writes under way (shutdown). */
  close(): Promise<void>;
}

export { APPEND_MAX_BATCH, APPEND_WINDOW_MS };

const isDatabase = (q: Queryable): q is Database =>
  typeof (q as Partial<Database>).transaction === 'function';

/** The row of an event, its IP reduced by the org's policy (read through q unless policyOf). */
async function prepareEvent(
  policies: AuditPolicySource | undefined,
  q: Queryable,
  event: AuditEventInput,
  id: string,
  atMs: number,
  policyOf: (orgId: string) => Promise<AuditIpPolicy> = (orgId) => policies!.ipPolicy(q, orgId),
): Promise<PreparedEvent> {
  const policy: AuditIpPolicy = event.orgId && policies ? await policyOf(event.orgId) : 'full';
  return {
    id,
    orgId: event.orgId,
    occurredAtMs: atMs,
    type: event.type,
    schemaVersion: AUDIT_SCHEMA_VERSION,
    actorType: event.actor.type,
    actorId: event.actor.id,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    outcome: event.outcome ?? 'success',
    reason: event.reason ?? null,
    requestId: event.context?.requestId ?? null,
    ip: applyIpPolicy(event.context?.ip ?? null, policy),
    userAgent: event.context?.userAgent ?? null,
    // Plain JSON, as the jsonb column will give it back: what is hashed is what is read.
    data: JSON.parse(JSON.stringify(event.data ?? {})) as Record<string, unknown>,
  };
}

export function createAuditLog(deps: {
  db: Database;
  clock: Clock;
  /** HMAC key of pseudonyms (config audit.pseudonymKey). */
  pseudonymKey: Buffer;
  policies?: AuditPolicySource;
}): AuditLog {
  const { db, clock } = deps;
  const prepare = (
    q: Queryable,
    event: AuditEventInput,
    id: string,
    atMs: number,
    policyOf?: (orgId: string) => Promise<AuditIpPolicy>,
  ) => prepareEvent(deps.policies, q, event, id, atMs, policyOf);

  const groupCommit = createGroupCommit<AuditEventInput>({
    db,
    prepare: (event, id, atMs) => prepare(db, event, id, atMs),
  });

  const pseudonymOf = (userId: string) =>
    `pseud:${createHmac('sha256', deps.pseudonymKey).update(userId).digest('base64url')}`;

  const log: AuditLog = {
    async record(tx, event) {
      // A pool is no transaction: the head lock would not hold. Such an event stands alone.
      if (isDatabase(tx)) return log.append(event);
      const atMs = clock.nowMs();
      const id = uuidv7(atMs);
      await insertChained(tx, [await prepare(tx, event, id, atMs)]);
      return id;
    },

    async recordAll(tx, events) {
      if (isDatabase(tx)) return Promise.all(events.map((event) => log.append(event)));
      const ids: string[] = [];
      // One policy read per org, however many of its events.
      const policies = new Map<string, Promise<AuditIpPolicy>>();
      const policyOf = (orgId: string) => {
        let policy = policies.get(orgId);
        if (!policy) policies.set(orgId, (policy = deps.policies!.ipPolicy(tx, orgId)));
        return policy;
      };
      for (let from = 0; from < events.length; from += APPEND_MAX_BATCH) {
        const prepared: PreparedEvent[] = [];
        for (const event of events.slice(from, from + APPEND_MAX_BATCH)) {
          const atMs = clock.nowMs();
          const id = uuidv7(atMs);
          prepared.push(await prepare(tx, event, id, atMs, policyOf));
          ids.push(id);
        }
        await insertChained(tx, prepared);
      }
      return ids;
    },

    append(event) {
      const atMs = clock.nowMs();
      const id = uuidv7(atMs);
      return groupCommit.enqueue(chainIdOf(event.orgId), event, id, atMs);
    },

    pseudonymOf,

    async pseudonymise(tx, input) {
      const pseudonym = pseudonymOf(input.userId);
      return { pseudonym, events: await pseudonymiseEvents(tx, input, pseudonym, clock) };
    },

    close: () => groupCommit.close(),
  };
  return log;
}

/**
 * The fields that changed between two versions of a resource, before and after, for an
 * audit event. Secret fields are never copied: only the fact that they changed.
 */
export function changeSet(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  secretFields: readonly string[] = [],
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const pick = (source: Record<string, unknown> | null, changedOnly: boolean) => {
    if (!source) return null;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (!(key in source)) continue;
      const changed = JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key]);
      if (changedOnly && !changed) continue;
      out[key] = secretFields.includes(key) ? '[secret]' : source[key];
    }
    return out;
  };
  const changedOnly = before !== null && after !== null;
  return { before: pick(before, changedOnly), after: pick(after, changedOnly) };
}
