// Per-org overrides of the sign-in rate limits (issue 15; admin API:
// settings.login_starts_per_ip_per_minute, settings.login_starts_per_minute). NULL, the
// default, means the deployment's configured limit (config limits.loginStartPerOrgAndIp,
// limits.loginStartPerOrg) applies, so a change of that default reaches every org that
// has not been given its own.
export default /* sql */ `
ALTER TABLE orgs
  ADD COLUMN login_starts_per_ip_per_minute integer
    CHECK (login_starts_per_ip_per_minute BETWEEN 1 AND 1000000),
  ADD COLUMN login_starts_per_minute integer
    CHECK (login_starts_per_minute BETWEEN 1 AND 10000000);
`;
