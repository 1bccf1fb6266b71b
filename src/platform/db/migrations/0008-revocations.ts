// The durable revocation log: every session, access token (by jti) and refresh-token
// family that was cut off, until nothing it cuts off can be alive any more. Redis holds
// the fast copy (tombstones); this table is what survives the loss of Redis's data, and
// its positions are what revocation events for other services are served from.
export default /* sql */ `
CREATE TABLE revocations (
  position    bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('session', 'access_token', 'refresh_family')),
  subject     text NOT NULL,
  org_id      text,
  user_id     text,
  client_id   text,
  reason      text NOT NULL,
  revoked_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  -- Applied to Redis by the process that wrote it; false until then, so a writer that
  -- died (or lost Redis) in between is finished by another process's sweep.
  mirrored    boolean NOT NULL DEFAULT false,
  CONSTRAINT revocations_once UNIQUE (kind, subject)
);
CREATE INDEX revocations_expiry ON revocations (expires_at);
CREATE INDEX revocations_unmirrored ON revocations (position) WHERE NOT mirrored;
`;
