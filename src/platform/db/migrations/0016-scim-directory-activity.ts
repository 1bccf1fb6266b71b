// A SCIM directory's sync status (issue 17): when its IdP last called and last wrote, and
// its recent refusals. Written from the SCIM door at most once in a while per process
// (src/directories/directory-activity.ts), never per request: an initial sync is thousands
// of requests. The errors hold a path shape (`/Users/{id}`) and a masked detail, never a
// body, a token or a person's data; the service keeps the newest 50 per directory.
export default /* sql */ `
CREATE TABLE scim_directory_activity (
  directory_id     uuid PRIMARY KEY REFERENCES scim_directories (id),
  last_request_at  timestamptz,
  last_write_at    timestamptz,
  errors_dropped   bigint NOT NULL DEFAULT 0
);

CREATE TABLE scim_directory_errors (
  id            uuid PRIMARY KEY,
  directory_id  uuid NOT NULL REFERENCES scim_directories (id),
  occurred_at   timestamptz NOT NULL,
  method        text NOT NULL,
  path          text NOT NULL,
  status        integer NOT NULL,
  scim_type     text,
  detail        text
);
CREATE INDEX scim_directory_errors_directory ON scim_directory_errors (directory_id, id);
`;
