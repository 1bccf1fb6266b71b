// Test sign-ins (issue 18): a login through a connection that ends in a report of what
// the IdP sent instead of a session. A connection goes live through the portal only after
// a passed test at its current version. The report holds what the tester's own IdP said
// about the tester (subject, email, attributes): kept for the connection's admins, at
// most the newest 20 tests per connection.
export default /* sql */ `
CREATE TABLE connection_tests (
  id                  uuid PRIMARY KEY,
  org_id              uuid NOT NULL REFERENCES orgs (id),
  connection_id       uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  connection_version  integer NOT NULL,
  started_by_type     text NOT NULL,
  started_by_id       text,
  started_at          timestamptz NOT NULL,
  finished_at         timestamptz,
  outcome             text NOT NULL CHECK (outcome IN ('pending', 'passed', 'failed')),
  reason              text,
  report              jsonb
);
CREATE INDEX connection_tests_connection ON connection_tests (connection_id, started_at DESC);
`;
