// Delivery of the audit trail to the ads services: a transactional outbox (an event and
// its outbox entry commit together), per-org webhooks and their delivery attempts.
export default /* sql */ `
-- One row per audit event not yet relayed to the Redis stream and the webhooks. No
-- foreign key to audit_events: retention may purge an event before it is relayed.
CREATE TABLE audit_outbox (
  event_id     uuid PRIMARY KEY,
  org_id       uuid,
  enqueued_at  timestamptz NOT NULL
);

CREATE TABLE audit_webhooks (
  id                 uuid PRIMARY KEY,
  org_id             uuid NOT NULL REFERENCES orgs (id),
  url                text NOT NULL,
  -- NULL: every event type of the org.
  event_types        text[],
  -- AES-256-GCM under the key-encryption key, bound to the webhook id; never returned.
  secret_ciphertext  text NOT NULL,
  status             text NOT NULL CHECK (status IN ('active', 'disabled')),
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  version            integer NOT NULL DEFAULT 1
);
CREATE INDEX audit_webhooks_org ON audit_webhooks (org_id, id);

-- One row per (webhook, event): a replay or a re-relayed event makes it pending again.
CREATE TABLE audit_webhook_deliveries (
  id               uuid PRIMARY KEY,
  webhook_id       uuid NOT NULL REFERENCES audit_webhooks (id) ON DELETE CASCADE,
  -- No foreign key: retention may purge the event (the delivery then dies).
  event_id         uuid NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  last_error       text,
  last_status      integer,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX audit_webhook_deliveries_due ON audit_webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX audit_webhook_deliveries_webhook ON audit_webhook_deliveries (webhook_id, status, id);
`;
