// Self-serve setup portal (issue 18): the one-time links the admin API hands an org's IT
// admin. Only a SHA-256 digest of each 256-bit random token is kept; a link is used at
// most once (used_at is set by the exchange, which refuses a link already used, revoked
// or expired).
export default /* sql */ `
CREATE TABLE portal_links (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES orgs (id),
  digest      text NOT NULL,
  intents     text[] NOT NULL,
  return_url  text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX portal_links_org ON portal_links (org_id, id);
`;
