// An org's sign-in assurance policy (issue 19; admin API: settings.require_mfa,
// settings.require_phishing_resistant): a sign-in whose proof from the IdP falls short is
// refused with assurance_insufficient (docs/assurance.md). Off for every existing org.
export default /* sql */ `
ALTER TABLE orgs
  ADD COLUMN require_mfa boolean NOT NULL DEFAULT false,
  ADD COLUMN require_phishing_resistant boolean NOT NULL DEFAULT false;
`;
