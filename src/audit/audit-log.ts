import { createHmac } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { UnavailableError } from '../platform/errors.js';
import type { RequestContext } from '../platform/request-context.js';
import {
  insertChained,
  insertChainedAfter,
  type ChainHead,
  type PreparedEvent,
} from './audit-store.js';
import { chainIdOf } from './chain.js';
import type { AuditEventType } from './event-types.js';
import { applyIpPolicy, type AuditIpPolicy } from './ip-policy.js';

export type { RequestContext };

export const AUDIT_SCHEMA_VERSION = 1;

export type ActorType = 'api_key' | 'user' | 'client' | 'system' | 'cli';

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

export interface PseudonymiseInput {
  orgId: string;
  userId: string;
  /** Other strings that identify the user (email, name, upstream subjects). */
  identifying: string[];
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

/** Group commit bounds: a batch is written after this long or at this many events. */
export const APPEND_WINDOW_MS = 2;
export const APPEND_MAX_BATCH = 500;

interface Pending {
  event: AuditEventInput;
  id: string;
  atMs: number;
  resolve: (id: string) => void;
  reject: (error: unknown) => void;
}

const ADMIN_ACTORS = ['api_key', 'cli', 'client'];

const isDatabase = (q: Queryable): q is Database =>
  typeof (q as Partial<Database>).transaction === 'function';

export function createAuditLog(deps: {
  db: Database;
  clock: Clock;
  /** HMAC key of pseudonyms (config audit.pseudonymKey). */
  pseudonymKey: Buffer;
  policies?: AuditPolicySource;
}): AuditLog {
  const { db, clock } = deps;

  const prepare = async (
    q: Queryable,
    event: AuditEventInput,
    id: string,
    atMs: number,
    policyOf: (orgId: string) => Promise<AuditIpPolicy> = (orgId) =>
      deps.policies!.ipPolicy(q, orgId),
  ): Promise<PreparedEvent> => {
    const policy: AuditIpPolicy =
      event.orgId && deps.policies ? await policyOf(event.orgId) : 'full';
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
  };

  // Group commit, per chain: at most one transaction per chain is under way (they would
  // only queue on the chain's head lock). Events arriving meanwhile wait and go together
  // in the next one, so the batch grows with the load and throughput follows commit
  // latency × batch size; an idle chain's first event waits at most APPEND_WINDOW_MS for
  // company. Every caller hears after COMMIT, or gets the error.
  const chains = new Map<
    string,
    { queue: Pending[]; timer: NodeJS.Timeout | null; writing: Promise<void> | null }
  >();

  // Each chain's head as this log last wrote it: the next batch of that chain is then one
  // compare-and-set statement (insertChainedAfter); when another writer moved the head
  // meanwhile, nothing is written and the batch takes the locking path.
  const heads = new Map<string, ChainHead>();

  const writeChain = async (chainId: string, batch: Pending[]) => {
    try {
      const prepared: PreparedEvent[] = [];
      for (const p of batch) prepared.push(await prepare(db, p.event, p.id, p.atMs));
      const known = heads.get(chainId);
      let head = known ? await insertChainedAfter(db, chainId, prepared, known) : null;
      head ??= await db.transaction(async (tx) =>
        (await insertChained(tx, prepared)).get(chainId)!,
      );
      heads.set(chainId, head);
      for (const p of batch) p.resolve(p.id);
    } catch (error) {
      heads.delete(chainId);
      // The database is away: what queued behind this batch would only wait for a
      // second timeout (the breaker's probe). It is refused now, as this batch was.
      const behind =
        error instanceof UnavailableError ? (chains.get(chainId)?.queue.splice(0) ?? []) : [];
      for (const p of [...batch, ...behind]) p.reject(error);
    }
  };

  const flushChain = (chainId: string) => {
    const chain = chains.get(chainId);
    if (!chain || chain.writing) return;
    if (chain.timer) clearTimeout(chain.timer);
    chain.timer = null;
    const batch = chain.queue.splice(0, APPEND_MAX_BATCH);
    if (!batch.length) {
      chains.delete(chainId);
      return;
    }
    chain.writing = writeChain(chainId, batch).finally(() => {
      chain.writing = null;
      // Whatever queued meanwhile has waited long enough: write it now.
      flushChain(chainId);
    });
  };

  const flush = () => {
    for (const chainId of [...chains.keys()]) flushChain(chainId);
  };

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
      const chainId = chainIdOf(event.orgId);
      return new Promise<string>((resolve, reject) => {
        let chain = chains.get(chainId);
        if (!chain) chains.set(chainId, (chain = { queue: [], timer: null, writing: null }));
        chain.queue.push({ event, id, atMs, resolve, reject });
        if (chain.writing) return;
        if (chain.queue.length >= APPEND_MAX_BATCH) flushChain(chainId);
        else chain.timer ??= setTimeout(() => flushChain(chainId), APPEND_WINDOW_MS);
      });
    },

    pseudonymOf,

    async pseudonymise(tx, input) {
      const pseudonym = pseudonymOf(input.userId);
      const needles = [input.userId, ...input.identifying.filter((s) => s.length >= 3)];
      const lowered = needles.map((s) => s.toLowerCase());
      const { rows } = await tx.query<{
        id: string;
        type: string;
        actor_type: string;
        actor_id: string | null;
        target_id: string | null;
        ip: string | null;
        user_agent: string | null;
        data: Record<string, unknown>;
      }>(
        `SELECT id, type, actor_type, actor_id, target_id, ip, user_agent, data FROM audit_events
         WHERE org_id = $1 AND (actor_id = $2 OR target_id = $2
           OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS n WHERE strpos(lower(data::text), n) > 0))
         ORDER BY id FOR UPDATE`,
        [input.orgId, input.userId, lowered],
      );
      // The SQL above is a coarse prefilter (any mention anywhere in the text). An event is
      // the user's only if it names the user as actor or target, or one of its values
      // mentions one of the user's identifiers as a whole word (case-insensitively): never
      // a fragment of an id, a hash or a key. Never the trail's own events (audit.*).
      const patterns = needles.map(
        (needle) =>
          new RegExp(
            `(?<![\\p{L}\\p{N}_])${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_])`,
            'giu',
          ),
      );
      const mentions = (text: string) =>
        patterns.some((pattern) => {
          pattern.lastIndex = 0;
          return pattern.test(text);
        });
      const mentionsUser = (value: unknown): boolean =>
        typeof value === 'string'
          ? mentions(value)
          : Array.isArray(value)
            ? value.some(mentionsUser)
            : value !== null && typeof value === 'object'
              ? Object.values(value).some(mentionsUser)
              : false;
      const about = rows.filter(
        (row) =>
          !row.type.startsWith('audit.') &&
          (row.actor_id === input.userId ||
            row.target_id === input.userId ||
            mentionsUser(row.data)),
      );
      if (!about.length) return { pseudonym, events: 0 };
      const scrub = (value: unknown): unknown => {
        if (typeof value === 'string')
          return patterns.reduce((text, pattern) => text.replace(pattern, pseudonym), value);
        if (Array.isArray(value)) return value.map(scrub);
        if (value && typeof value === 'object')
          return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
        return value;
      };
      await tx.query("SELECT set_config('latchkey.audit_pseudonymise', 'on', true)");
      const now = clock.now();
      for (const row of about) {
        // The address and browser are the user's when the user acted (or someone not yet
        // known signed in as them), or the system or a client acted for the user (a session
        // ending, a token); an admin's or another known user's stay theirs.
        const own =
          row.actor_id === input.userId ||
          (row.actor_type === 'user' && row.actor_id === null) ||
          (row.actor_type !== 'user' && !ADMIN_ACTORS.includes(row.actor_type));
        await tx.query(
          `UPDATE audit_events SET actor_id = $2, target_id = $3, ip = $4, user_agent = $5,
             data = $6, pii_salt = NULL, pseudonymised_at = $7 WHERE id = $1`,
          [
            row.id,
            row.actor_id === input.userId ? pseudonym : row.actor_id,
            row.target_id === input.userId ? pseudonym : row.target_id,
            own ? null : row.ip,
            own ? null : row.user_agent,
            JSON.stringify(scrub(row.data)),
            now,
          ],
        );
      }
      await tx.query("SELECT set_config('latchkey.audit_pseudonymise', 'off', true)");
      return { pseudonym, events: about.length };
    },

    async close() {
      flush();
      for (;;) {
        const writing = [...chains.values()].flatMap((c) => (c.writing ? [c.writing] : []));
        if (!writing.length) break;
        await Promise.allSettled(writing);
      }
    },
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
