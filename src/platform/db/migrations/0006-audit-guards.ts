// Tighter guards on the audit trail (review of 0003): a purge may delete only the prefix
// of a chain that its retention anchor already covers (the job writes the anchor first), a
// chain head can only be created at its genesis, and every new event must be chained.
export default /* sql */ `
CREATE OR REPLACE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND audit_setting_on('latchkey.audit_purge')
     AND (OLD.chain_seq IS NULL
          OR OLD.chain_seq <= (SELECT a.seq FROM audit_chain_anchors a WHERE a.chain_id = OLD.chain_id))
  THEN
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

CREATE FUNCTION audit_events_chained() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.chain_seq IS NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL THEN
    RAISE EXCEPTION 'audit events must be chained' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER audit_events_chained BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_chained();

CREATE FUNCTION audit_chain_heads_genesis() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.seq = 0 AND NEW.hash = '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a chain head starts at its genesis' USING ERRCODE = 'P0001';
END
$fn$;
CREATE TRIGGER audit_chain_heads_genesis BEFORE INSERT ON audit_chain_heads
  FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_genesis();
`;
