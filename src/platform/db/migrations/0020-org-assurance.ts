// Assurance (issue 19, docs/assurance.md). An org's sign-in policy (admin API:
// settings.require_mfa, settings.require_phishing_resistant): a sign-in whose proof from
// the IdP falls short is refused with assurance_insufficient; off for every existing org.
// A client's default_acr_values (OIDC Registration §2): the acr asked when an
// authorization request names none; none for every existing client.
export default /* sql */ `
ALTER TABLE orgs
  ADD COLUMN require_mfa boolean NOT NULL DEFAULT false,
  ADD COLUMN require_phishing_resistant boolean NOT NULL DEFAULT false;
ALTER TABLE oauth_clients
  ADD COLUMN default_acr_values text[] NOT NULL DEFAULT '{}';
`;
