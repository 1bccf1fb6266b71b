import type { DemoOidcConnection } from './acme.js';
import type { DemoAccount } from './oidc-idp.js';

/**
 * The platform team's own org (issue 18's admin console): its employees sign in to
 * /console through Latchkey itself, over an OIDC connection to the development OIDC IdP
 * (a client of its own there), and the group platform-admins maps to the console's admin
 * role (config console.adminRole; config console.platformOrg names this org).
 */
export const PLATFORM = {
  slug: 'latchkey',
  name: 'Latchkey platform team',
  domain: 'latchkey.test',
} as const;

export const PLATFORM_CONNECTION_NAME = 'Latchkey staff IdP';

export const platformConnection = (adminRole: string): DemoOidcConnection => ({
  name: PLATFORM_CONNECTION_NAME,
  clientId: 'latchkey-platform',
  scopes: ['openid', 'email', 'profile', 'groups'],
  roleMapping: { 'platform-admins': adminRole },
});

/** The platform team at the development OIDC IdP. Any password works. */
export const PLATFORM_ACCOUNTS: Array<DemoAccount & { shows: string }> = [
  {
    sub: 'demo-ops',
    email: 'ops@latchkey.test',
    email_verified: true,
    name: 'Olive Ops',
    groups: ['platform-admins'],
    shows: 'opens /console (platform-admins → platform:admin)',
  },
  {
    sub: 'demo-dev',
    email: 'dev@latchkey.test',
    email_verified: true,
    name: 'Dan Dev',
    groups: ['engineers'],
    shows: 'signs in, but /console refuses him (no admin role)',
  },
];
