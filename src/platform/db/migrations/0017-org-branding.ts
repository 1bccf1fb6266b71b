// An org's branding on the pages its employees see (issue 18): a display name, a primary
// colour and a logo. A table of its own rather than columns on orgs: the logo's bytes
// stay out of every `SELECT * FROM orgs`, and branding has its own version (ETag), so a
// logo upload does not make an admin's pending org settings change stale. No row: the
// default look. The checks repeat the service's validation, so nothing else can ever reach
// a page's CSS or a logo response's Content-Type.
export default /* sql */ `
CREATE TABLE org_branding (
  org_id             uuid PRIMARY KEY REFERENCES orgs (id),
  display_name       text CHECK (char_length(display_name) BETWEEN 1 AND 80),
  primary_color      text CHECK (primary_color ~ '^#[0-9a-f]{6}$'),
  logo               bytea,
  logo_content_type  text CHECK (logo_content_type IN ('image/png', 'image/jpeg', 'image/webp')),
  logo_digest        text CHECK (logo_digest ~ '^[0-9a-f]{64}$'),
  logo_width         integer,
  logo_height        integer,
  updated_at         timestamptz NOT NULL,
  version            integer NOT NULL,
  CHECK ((logo IS NULL) = (logo_content_type IS NULL) AND (logo IS NULL) = (logo_digest IS NULL))
);
`;
