// Groups → roles (issue 17): a directory's mapping of group displayName to role, the same
// shape as a connection's role_mapping. Empty: the directory does not manage roles.
export default /* sql */ `
ALTER TABLE scim_directories ADD COLUMN role_mapping jsonb NOT NULL DEFAULT '{}';
`;
