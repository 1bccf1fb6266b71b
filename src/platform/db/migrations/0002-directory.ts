// The tenancy model: orgs and their domains, SSO connections, users and their upstream
// identities, OAuth clients, admin API keys, and the audit trail of every change.
export default /* sql */ `
CREATE TABLE orgs (
  id                               uuid PRIMARY KEY,
  slug                             text NOT NULL UNIQUE,
  name                             text NOT NULL,
  status                           text NOT NULL CHECK (status IN ('active', 'disabled')),
  session_idle_timeout_seconds     integer NOT NULL,
  session_absolute_lifetime_seconds integer NOT NULL,
  max_sessions_per_user            integer NOT NULL,
  require_verified_email           boolean NOT NULL,
  created_at                       timestamptz NOT NULL,
  updated_at                       timestamptz NOT NULL,
  version                          integer NOT NULL DEFAULT 1
);

CREATE TABLE org_domains (
  id                   uuid PRIMARY KEY,
  org_id               uuid NOT NULL REFERENCES orgs (id),
  domain               text NOT NULL UNIQUE,
  status               text NOT NULL CHECK (status IN ('pending', 'verified')),
  verification_token   text NOT NULL,
  verification_method  text CHECK (verification_method IN ('dns', 'attestation')),
  verified_at          timestamptz,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  version              integer NOT NULL DEFAULT 1
);
CREATE INDEX org_domains_org ON org_domains (org_id, id);

CREATE TABLE connections (
  id                  uuid PRIMARY KEY,
  org_id              uuid NOT NULL REFERENCES orgs (id),
  type                text NOT NULL CHECK (type IN ('oidc', 'saml')),
  name                text NOT NULL,
  status              text NOT NULL CHECK (status IN ('draft', 'active', 'disabled')),
  settings            jsonb NOT NULL,
  -- AES-256-GCM under the key-encryption key; never returned.
  secret_ciphertext   text,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  version             integer NOT NULL DEFAULT 1
);
CREATE INDEX connections_org ON connections (org_id, id);

CREATE TABLE users (
  id              uuid PRIMARY KEY,
  org_id          uuid NOT NULL REFERENCES orgs (id),
  email           text NOT NULL,
  email_verified  boolean NOT NULL DEFAULT false,
  name            text,
  roles           text[] NOT NULL DEFAULT '{}',
  status          text NOT NULL CHECK (status IN ('active', 'deactivated')),
  last_login_at   timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  version         integer NOT NULL DEFAULT 1
);
CREATE INDEX users_org ON users (org_id, id);
CREATE INDEX users_org_email ON users (org_id, lower(email) text_pattern_ops);

-- A user is identified by (connection, upstream subject), never by email.
CREATE TABLE user_identities (
  id             uuid PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  connection_id  uuid NOT NULL REFERENCES connections (id),
  subject        text NOT NULL,
  created_at     timestamptz NOT NULL,
  UNIQUE (connection_id, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

CREATE TABLE oauth_clients (
  id                          text PRIMARY KEY,
  name                        text NOT NULL,
  type                        text NOT NULL CHECK (type IN ('confidential', 'public')),
  status                      text NOT NULL CHECK (status IN ('active', 'disabled')),
  redirect_uris               text[] NOT NULL,
  post_logout_redirect_uris   text[] NOT NULL,
  grant_types                 text[] NOT NULL,
  backchannel_logout_uri      text,
  allowed_scopes              text[] NOT NULL,
  allowed_audiences           text[] NOT NULL,
  access_token_ttl_seconds    integer NOT NULL,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL,
  version                     integer NOT NULL DEFAULT 1
);

-- Client secrets as verifiers; during rotation the old one stays valid until expires_at.
CREATE TABLE oauth_client_secrets (
  id          uuid PRIMARY KEY,
  client_id   text NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
  verifier    text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz
);
CREATE INDEX oauth_client_secrets_client ON oauth_client_secrets (client_id);

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY,
  org_id       uuid REFERENCES orgs (id),
  scope        text NOT NULL CHECK (scope IN ('platform:admin', 'org:admin')),
  name         text NOT NULL,
  verifier     text NOT NULL,
  created_by   text,
  created_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  CHECK ((scope = 'org:admin') = (org_id IS NOT NULL))
);
CREATE INDEX api_keys_org ON api_keys (org_id, id);

CREATE TABLE audit_events (
  id              uuid PRIMARY KEY,
  org_id          uuid,
  occurred_at     timestamptz NOT NULL,
  type            text NOT NULL,
  schema_version  integer NOT NULL,
  actor_type      text NOT NULL,
  actor_id        text,
  target_type     text,
  target_id       text,
  outcome         text NOT NULL CHECK (outcome IN ('success', 'failure')),
  reason          text,
  request_id      text,
  ip              text,
  user_agent      text,
  data            jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_org ON audit_events (org_id, id);
`;
