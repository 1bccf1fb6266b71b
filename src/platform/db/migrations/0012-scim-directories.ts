// SCIM 2.0 provisioning (issue 17): an org's directories, each with its bearer tokens (only
// a SHA-256 digest of a 256-bit random token is kept; during a rotation the previous token
// stays valid until its expires_at).
export default /* sql */ `
CREATE TABLE scim_directories (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES orgs (id),
  name        text NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'disabled')),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     integer NOT NULL DEFAULT 1
);
CREATE INDEX scim_directories_org ON scim_directories (org_id, id);

CREATE TABLE scim_directory_tokens (
  id            uuid PRIMARY KEY,
  directory_id  uuid NOT NULL REFERENCES scim_directories (id),
  digest        text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX scim_directory_tokens_directory ON scim_directory_tokens (directory_id, id);
`;
