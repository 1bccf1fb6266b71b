// The audit trail becomes tamper-evident and append-only.
//
// Hash chain: every event belongs to one chain (its org, or the nil uuid for platform
// events) and carries its place (chain_seq), the previous event's hash and its own:
// hash = SHA-256(prev_hash || canonical JSON of the event's fields and pii_digest), with
// pii_digest = SHA-256(pii_salt || canonical JSON of the personal fields). The hashing is
// done in JavaScript (src/audit/chain.ts, shared by the writer and `audit verify`), so
// this migration computes no hashes: events written before it keep NULL chain columns.
// They are not covered by the chain; `audit verify` counts them and fails if one appears
// after a chain has started (a late unchained row is a forgery). Nothing had shipped when
// this was written, so only development and test databases hold such rows.
//
// Immutability is the database's: UPDATE, DELETE and TRUNCATE of audit_events raise
// "audit_events is append-only", with two narrow exceptions a transaction opts into with
// a transaction-local setting (SELECT set_config(name, 'on', true)):
//   latchkey.audit_pseudonymise  UPDATE may change only the personal columns (actor_id,
//                                target_id, ip, user_agent, data), must clear pii_salt
//                                and set pseudonymised_at (GDPR erasure);
//   latchkey.audit_purge         DELETE is allowed (retention), and so are writes to
//                                audit_chain_anchors (where the purged prefix ends).
// The settings stop mistakes and application bugs, not the database owner: anyone who
// can run SQL as the owner can set them or disable triggers. That is what the chain is
// for: `npm run cli -- audit verify` names the first event altered or removed.
export default /* sql */ `
ALTER TABLE audit_events
  ADD COLUMN chain_id         uuid,
  ADD COLUMN chain_seq        bigint,
  ADD COLUMN prev_hash        bytea,
  ADD COLUMN hash             bytea,
  ADD COLUMN pii_salt         bytea,
  ADD COLUMN pii_digest       bytea,
  ADD COLUMN pseudonymised_at timestamptz;
UPDATE audit_events SET chain_id = coalesce(org_id, '00000000-0000-0000-0000-000000000000');
ALTER TABLE audit_events ALTER COLUMN chain_id SET NOT NULL;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_of_org
  CHECK (chain_id = coalesce(org_id, '00000000-0000-0000-0000-000000000000'));
CREATE UNIQUE INDEX audit_events_chain_seq ON audit_events (chain_id, chain_seq);
CREATE INDEX audit_events_chain_time ON audit_events (chain_id, occurred_at);

-- The last event of each chain, locked FOR UPDATE by every writer: seq 0 and 32 zero
-- bytes before the first event.
CREATE TABLE audit_chain_heads (
  chain_id  uuid PRIMARY KEY,
  seq       bigint NOT NULL,
  hash      bytea NOT NULL
);

-- Where a chain now starts after retention purged its oldest events: the last purged
-- event's seq and hash, which the first kept event's prev_hash must equal.
CREATE TABLE audit_chain_anchors (
  chain_id        uuid PRIMARY KEY,
  seq             bigint NOT NULL,
  hash            bytea NOT NULL,
  purged_through  timestamptz NOT NULL,
  purged_at       timestamptz NOT NULL
);

CREATE FUNCTION audit_setting_on(name text) RETURNS boolean LANGUAGE sql STABLE AS
  $fn$ SELECT coalesce(current_setting(name, true), '') = 'on' $fn$;

CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND audit_setting_on('latchkey.audit_purge') THEN
    RETURN OLD;
  END IF;
  -- Every column but the personal ones (and the two that record the erasure) must stay
  -- as it was; comparing whole rows as jsonb also covers columns added later.
  IF TG_OP = 'UPDATE' AND audit_setting_on('latchkey.audit_pseudonymise')
     AND NEW.pii_salt IS NULL AND NEW.pseudonymised_at IS NOT NULL
     AND to_jsonb(NEW) - ARRAY['actor_id', 'target_id', 'ip', 'user_agent', 'data', 'pii_salt', 'pseudonymised_at']
       = to_jsonb(OLD) - ARRAY['actor_id', 'target_id', 'ip', 'user_agent', 'data', 'pii_salt', 'pseudonymised_at']
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'P0001';
END
$fn$;

CREATE FUNCTION audit_chain_heads_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- A head only moves forward, one chain at a time.
  IF TG_OP = 'UPDATE' AND NEW.chain_id = OLD.chain_id AND NEW.seq > OLD.seq THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' AND audit_setting_on('latchkey.audit_purge') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_chain_heads only move forward' USING ERRCODE = 'P0001';
END
$fn$;

CREATE FUNCTION audit_chain_anchors_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF audit_setting_on('latchkey.audit_purge') THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_chain_anchors change only with a retention purge' USING ERRCODE = 'P0001';
END
$fn$;

CREATE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END
$fn$;

CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
CREATE TRIGGER audit_chain_heads_forward BEFORE UPDATE OR DELETE ON audit_chain_heads
  FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_guard();
CREATE TRIGGER audit_chain_heads_no_truncate BEFORE TRUNCATE ON audit_chain_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
CREATE TRIGGER audit_chain_anchors_purge_only BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_chain_anchors_guard();
CREATE TRIGGER audit_chain_anchors_no_truncate BEFORE TRUNCATE ON audit_chain_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();

-- Per-org audit settings (admin API: settings.audit_ip, settings.audit_retention_days).
ALTER TABLE orgs
  ADD COLUMN audit_ip text NOT NULL DEFAULT 'full' CHECK (audit_ip IN ('full', 'truncated', 'none')),
  ADD COLUMN audit_retention_days integer NOT NULL DEFAULT 365
    CHECK (audit_retention_days BETWEEN 1 AND 3650);
`;
