// The audit read side: a user's data export finds the events about them (as actor, as
// target, or named in data.user_id) without scanning the org's whole trail.
export default /* sql */ `
CREATE INDEX audit_events_org_actor ON audit_events (org_id, actor_id, id);
CREATE INDEX audit_events_org_target ON audit_events (org_id, target_id, id);
CREATE INDEX audit_events_org_data_user ON audit_events (org_id, (data->>'user_id'), id);
`;
