// SCIM groups (issue 17): a directory's groups (the resource as the directory last wrote
// it, without its members) and their members, users of the same directory. The composite
// foreign keys make a membership across directories impossible in the database, not only
// in the service. displayName is not unique (RFC 7643 §4.2 says uniqueness none; Entra ID
// allows two groups of one name); externalId is, within a directory.
export default /* sql */ `
CREATE UNIQUE INDEX scim_users_directory_user ON scim_users (directory_id, user_id);

CREATE TABLE scim_groups (
  id            uuid PRIMARY KEY,
  directory_id  uuid NOT NULL REFERENCES scim_directories (id),
  display_name  text NOT NULL,
  external_id   text,
  resource      jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  version       integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX scim_groups_directory_group ON scim_groups (directory_id, id);
CREATE UNIQUE INDEX scim_groups_external_id ON scim_groups (directory_id, external_id);
CREATE INDEX scim_groups_directory ON scim_groups (directory_id, created_at, id);
CREATE INDEX scim_groups_display_name ON scim_groups (directory_id, lower(display_name));

CREATE TABLE scim_group_members (
  directory_id  uuid NOT NULL,
  group_id      uuid NOT NULL,
  user_id       uuid NOT NULL,
  PRIMARY KEY (group_id, user_id),
  FOREIGN KEY (directory_id, group_id) REFERENCES scim_groups (directory_id, id) ON DELETE CASCADE,
  FOREIGN KEY (directory_id, user_id) REFERENCES scim_users (directory_id, user_id) ON DELETE CASCADE
);
CREATE INDEX scim_group_members_user ON scim_group_members (user_id);
`;
