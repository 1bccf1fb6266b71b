import { randomBytes } from 'node:crypto';
import type { AdminPrincipal, OrgResourceService } from '../platform/admin/index.js';
import {
  assertOrgVisible,
  orgResourceReads,
  refusalOf,
  staleWrite,
  written,
} from '../platform/admin/index.js';
import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import type { OutboundPolicy } from '../platform/net/index.js';
import type { RequestContext } from '../platform/request-context.js';
import { parseInput } from '../platform/validation.js';
import { changeSet, type AuditLog } from './audit-log.js';
import type { AuditEventType } from './event-types.js';
import { WEBHOOK_SECRET_PREFIX, type DeliveryStatus, type Webhook } from './webhook.js';
import {
  createWebhookDeliveryCalls,
  REPLAY_MAX_EVENTS,
  webhookEvent,
  type ReplayResult,
  type WebhookContext,
  type WebhookDeliveryCalls,
} from './webhook-deliveries.js';
import { webhookInputs } from './webhook-input.js';
import { webhookStore, type StoredWebhook, type WebhookChanges } from './webhook-store.js';

export interface WebhookWithSecret {
  webhook: Webhook;
  /** Shown once, in the create or rotate response; Latchkey keeps it sealed. */
  secret: string;
}

export { REPLAY_MAX_EVENTS, type ReplayResult };

export interface WebhookService
  extends OrgResourceService<Webhook, WebhookWithSecret>, WebhookDeliveryCalls {
  /** Deletes the webhook and its deliveries (pending ones are never sent). */
  remove(
    orgId: string,
    webhookId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  rotateSecret(
    orgId: string,
    webhookId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<WebhookWithSecret>;
}

/** The secret is bound to the webhook: its ciphertext opens in this row only. */
export const secretContext = (webhookId: string) => `audit-webhook:${webhookId}`;

const auditView = (webhook: Webhook, secretCiphertext: string) => ({
  url: webhook.url,
  event_types: webhook.eventTypes,
  status: webhook.status,
  secret: secretCiphertext,
});
const SECRET_FIELDS = ['secret'];

/** Applies changes under optimistic concurrency, audited as `type` with a change set. */
const change = (
  { db, audit, clock }: WebhookContext,
  type: AuditEventType,
  target: { orgId: string; webhookId: string },
  before: StoredWebhook,
  changes: WebhookChanges,
  expected: number | null,
  principal: AdminPrincipal,
  context: RequestContext,
) =>
  db.transaction(async (tx) => {
    const { orgId, webhookId } = target;
    const result = await webhookStore(tx).update(
      orgId,
      webhookId,
      changes,
      clock.now(),
      expected ?? before.webhook.version,
    );
    const after = written(result, 'webhook');
    await audit.record(tx, {
      ...webhookEvent(type, orgId, webhookId, principal, context),
      data: changeSet(
        auditView(before.webhook, before.secretCiphertext),
        auditView(after.webhook, after.secretCiphertext),
        SECRET_FIELDS,
      ),
    });
    return after.webhook;
  });

export function createWebhookService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  secretBox: SecretBox;
  outbound: OutboundPolicy;
}): WebhookService {
  const { db, audit, clock, secretBox } = deps;
  // Standard Webhooks' form: `whsec_` + standard base64 of the key (32 random bytes).
  const newSecret = () => `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
  const reads = orgResourceReads({
    db,
    what: 'webhook',
    store: webhookStore,
    view: (stored: StoredWebhook) => stored.webhook,
  });
  const ctx: WebhookContext = {
    db,
    audit,
    clock,
    inputs: webhookInputs(deps.outbound),
    load: reads.load,
  };
  const { inputs, load } = ctx;

  return {
    async create(orgId, body, principal, context) {
      await assertOrgVisible(db, principal, orgId);
      const input = parseInput(inputs.Create, body);
      const now = clock.now();
      const id = uuidv7(now.getTime());
      const webhook: Webhook = {
        id,
        orgId,
        url: input.url,
        eventTypes: input.event_types ?? null,
        status: 'active',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const secret = newSecret();
      const secretCiphertext = secretBox.seal(secret, secretContext(id));
      await db.transaction(async (tx) => {
        await webhookStore(tx).insert(webhook, secretCiphertext);
        await audit.record(tx, {
          ...webhookEvent('admin.webhook.created', orgId, id, principal, context),
          data: changeSet(null, auditView(webhook, secretCiphertext), SECRET_FIELDS),
        });
      });
      return { webhook, secret };
    },

    list: reads.list,
    get: reads.get,

    async update(orgId, webhookId, body, expected, principal, context) {
      const before = await load(orgId, webhookId, principal);
      const input = parseInput(inputs.Update, body);
      if (expected !== null && expected !== before.webhook.version) throw staleWrite();
      const next = {
        ...before.webhook,
        url: input.url ?? before.webhook.url,
        eventTypes: input.event_types === undefined ? before.webhook.eventTypes : input.event_types,
        status: input.status ?? before.webhook.status,
      };
      const diff = changeSet(
        auditView(before.webhook, before.secretCiphertext),
        auditView(next, before.secretCiphertext),
      );
      // Nothing to change: no write, no event.
      if (!diff.after || Object.keys(diff.after).length === 0) return before.webhook;
      return change(
        ctx,
        'admin.webhook.updated',
        { orgId, webhookId },
        before,
        { url: input.url, eventTypes: input.event_types, status: input.status },
        expected,
        principal,
        context,
      );
    },

    async remove(orgId, webhookId, expected, principal, context) {
      const before = await load(orgId, webhookId, principal);
      if (expected !== null && expected !== before.webhook.version) throw staleWrite();
      await db.transaction(async (tx) => {
        if (!(await webhookStore(tx).delete(orgId, webhookId, expected))) {
          throw await refusalOf('webhook', () => webhookStore(tx).get(orgId, webhookId));
        }
        await audit.record(tx, {
          ...webhookEvent('admin.webhook.deleted', orgId, webhookId, principal, context),
          data: changeSet(auditView(before.webhook, before.secretCiphertext), null, SECRET_FIELDS),
        });
      });
    },

    async rotateSecret(orgId, webhookId, expected, principal, context) {
      const before = await load(orgId, webhookId, principal);
      if (expected !== null && expected !== before.webhook.version) throw staleWrite();
      const secret = newSecret();
      const webhook = await change(
        ctx,
        'admin.webhook.secret_rotated',
        { orgId, webhookId },
        before,
        { secretCiphertext: secretBox.seal(secret, secretContext(webhookId)) },
        expected,
        principal,
        context,
      );
      return { webhook, secret };
    },

    ...createWebhookDeliveryCalls(ctx),
  };
}

export type { DeliveryStatus };
