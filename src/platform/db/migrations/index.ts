import signingKeys from './0001-signing-keys.js';
import directory from './0002-directory.js';
import auditChain from './0003-audit-chain.js';
import auditDelivery from './0004-audit-delivery.js';
import auditQuery from './0005-audit-query.js';
import auditGuards from './0006-audit-guards.js';
import domainClaims from './0007-domain-claims.js';
import revocations from './0008-revocations.js';
import sharedSignals from './0009-shared-signals.js';
import orgRateLimits from './0010-org-rate-limits.js';
import auditRelayPositions from './0011-audit-relay-positions.js';
import scimDirectories from './0012-scim-directories.js';
import scimUsers from './0013-scim-users.js';
import scimGroups from './0014-scim-groups.js';
import scimDirectoryRoleMapping from './0015-scim-directory-role-mapping.js';
import scimDirectoryActivity from './0016-scim-directory-activity.js';
import orgBranding from './0017-org-branding.js';
import portalSetupLinks from './0018-portal-setup-links.js';
import connectionTests from './0019-connection-tests.js';
import orgAssurance from './0020-org-assurance.js';

export interface Migration {
  /** Sortable, unique, never renamed: "0001-signing-keys". */
  version: string;
  sql: string;
}

/** Forward-only: append new migrations; never edit or reorder one that has shipped. */
export const migrations: Migration[] = [
  { version: '0001-signing-keys', sql: signingKeys },
  { version: '0002-directory', sql: directory },
  { version: '0003-audit-chain', sql: auditChain },
  { version: '0004-audit-delivery', sql: auditDelivery },
  { version: '0005-audit-query', sql: auditQuery },
  { version: '0006-audit-guards', sql: auditGuards },
  { version: '0007-domain-claims', sql: domainClaims },
  { version: '0008-revocations', sql: revocations },
  { version: '0009-shared-signals', sql: sharedSignals },
  { version: '0010-org-rate-limits', sql: orgRateLimits },
  { version: '0011-audit-relay-positions', sql: auditRelayPositions },
  { version: '0012-scim-directories', sql: scimDirectories },
  { version: '0013-scim-users', sql: scimUsers },
  { version: '0014-scim-groups', sql: scimGroups },
  { version: '0015-scim-directory-role-mapping', sql: scimDirectoryRoleMapping },
  { version: '0016-scim-directory-activity', sql: scimDirectoryActivity },
  { version: '0017-org-branding', sql: orgBranding },
  { version: '0018-portal-setup-links', sql: portalSetupLinks },
  { version: '0019-connection-tests', sql: connectionTests },
  { version: '0020-org-assurance', sql: orgAssurance },
];
