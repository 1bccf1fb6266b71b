// SCIM users (issue 17): the SCIM resource as its directory last wrote it, beside the
// Latchkey user it is linked to (its SCIM id is that user's id). A user is managed by at
// most one directory (users.scim_directory_id, which stays set after a SCIM DELETE so the
// deactivated user cannot come back by a sign-in). userName and externalId are unique
// within a directory (RFC 7643 §4.1.1: userName case-insensitively).
export default /* sql */ `
ALTER TABLE users ADD COLUMN scim_directory_id uuid REFERENCES scim_directories (id);

CREATE TABLE scim_users (
  user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  directory_id  uuid NOT NULL REFERENCES scim_directories (id),
  user_name     text NOT NULL,
  external_id   text,
  resource      jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  version       integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX scim_users_user_name ON scim_users (directory_id, lower(user_name));
CREATE UNIQUE INDEX scim_users_external_id ON scim_users (directory_id, external_id);
CREATE INDEX scim_users_directory ON scim_users (directory_id, created_at, user_id);
`;
