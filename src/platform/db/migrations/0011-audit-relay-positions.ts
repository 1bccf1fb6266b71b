// The audit trail is its own outbox (issue 16). Each chain's events commit in seq order
// (every writer moves the chain's head in the transaction that inserts the events, under
// the head's row lock), so what is committed of a chain is always a prefix of it: the
// relay keeps, per chain, the seq up to which it has relayed, and relays what lies between
// that and the head. audit_outbox (a second row inserted and deleted per event) goes.
//
// Events still waiting in audit_outbox are relayed after the migration: a chain's position
// starts just before its first waiting event (at its head when none waits). Events from
// before the chain (migration 0003: development databases only) have no seq and are not
// relayed.
//
// Indexes: the (org_id, id) index served the listing before it followed the chain
// (chain_id = org, chain_seq) and the time filters, which (chain_id, occurred_at) serves;
// the indexes behind a user's export and erasure hold only org events (platform events,
// e.g. every client-credentials grant, have no org) and, for data->>'user_id', only events
// that name a user: the queries' own conditions (org_id = $1, … = $2) imply both.
export default /* sql */ `
CREATE TABLE audit_relay_positions (
  chain_id    uuid PRIMARY KEY,
  seq         bigint NOT NULL CHECK (seq >= 0),
  relayed_at  timestamptz
);
INSERT INTO audit_relay_positions (chain_id, seq)
SELECT h.chain_id,
       coalesce((SELECT min(e.chain_seq) - 1 FROM audit_outbox o
                 JOIN audit_events e ON e.id = o.event_id
                 WHERE e.chain_id = h.chain_id AND e.chain_seq IS NOT NULL), h.seq)
FROM audit_chain_heads h;
DROP TABLE audit_outbox;

DROP INDEX audit_events_org;
DROP INDEX audit_events_org_actor;
DROP INDEX audit_events_org_target;
DROP INDEX audit_events_org_data_user;
CREATE INDEX audit_events_org_actor ON audit_events (org_id, actor_id, id)
  WHERE org_id IS NOT NULL AND actor_id IS NOT NULL;
CREATE INDEX audit_events_org_target ON audit_events (org_id, target_id, id)
  WHERE org_id IS NOT NULL AND target_id IS NOT NULL;
CREATE INDEX audit_events_org_data_user ON audit_events (org_id, (data->>'user_id'), id)
  WHERE org_id IS NOT NULL AND (data->>'user_id') IS NOT NULL;
`;
