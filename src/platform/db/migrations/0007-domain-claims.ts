// Domain claims (review of 0002): a pending claim proves nothing, so it must not reserve
// the domain, or any org could lock the rightful owner out by claiming first. Several
// orgs may hold a pending claim on a domain (each with its own token); at most one claim
// is ever verified, and an org claims a domain at most once.
export default /* sql */ `
ALTER TABLE org_domains DROP CONSTRAINT org_domains_domain_key;
ALTER TABLE org_domains ADD CONSTRAINT org_domains_org_domain_key UNIQUE (org_id, domain);
CREATE UNIQUE INDEX org_domains_verified_domain ON org_domains (domain) WHERE status = 'verified';
`;
