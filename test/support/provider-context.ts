/**
 * A ProviderContext (src/tokens/provider-context.ts) over in-memory fakes, for testing the
 * OAuth provider's checks one by one without a server: one client, one user in one org,
 * sessions by token, a fake clock.
 */
import { createFakeClock } from '../../src/platform/clock.js';
import type { GrantStore } from '../../src/tokens/grant-store.js';
import type { KeyRing } from '../../src/tokens/key-ring.js';
import type { OAuthClient, SessionView, UserProfile } from '../../src/tokens/ports.js';
import { createProviderContext, type ProviderContext } from '../../src/tokens/provider-context.js';

export const ISSUER = 'https://latchkey.test';
export const CLIENT_REDIRECT = 'https://ads.example/callback';

export function testClient(overrides: Partial<OAuthClient> = {}): OAuthClient {
  return {
    id: 'lkc_test',
    name: 'Ads Manager',
    type: 'confidential',
    active: true,
    redirectUris: [CLIENT_REDIRECT],
    postLogoutRedirectUris: [],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    backchannelLogoutUri: null,
    allowedScopes: ['openid', 'email', 'profile'],
    allowedAudiences: ['https://ads-api.example'],
    accessTokenTtlSeconds: 300,
    ...overrides,
  };
}

export interface FakeProvider {
  ctx: ProviderContext;
  clock: ReturnType<typeof createFakeClock>;
  clients: Map<string, OAuthClient>;
  sessions: Map<string, SessionView>;
  user: UserProfile;
  org: { active: boolean };
}

export function createFakeProvider(): FakeProvider {
  const clock = createFakeClock(Date.UTC(2026, 0, 1));
  const clients = new Map<string, OAuthClient>([['lkc_test', testClient()]]);
  const sessions = new Map<string, SessionView>();
  const user: UserProfile = {
    id: 'user-1',
    orgId: 'org-1',
    active: true,
    roles: [],
    standardClaims: { email: 'alice@acme.example', email_verified: true, name: 'Alice' },
  };
  const org = { active: true };
  const unused = (what: string) => () => {
    throw new Error(`${what} is not used by these checks`);
  };
  const ctx = createProviderContext({
    settings: {
      issuer: ISSUER,
      maxAccessTokenTtlSeconds: 3600,
      idTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 86_400,
      refreshReuseGraceSeconds: 30,
      clockToleranceSeconds: 5,
    },
    clients: {
      get: (id) => Promise.resolve(clients.get(id) ?? null),
      authenticate: unused('clients.authenticate'),
    },
    users: {
      get: (orgId, userId) =>
        Promise.resolve(orgId === user.orgId && userId === user.id ? user : null),
      orgActive: () => Promise.resolve(org.active),
    },
    sessions: {
      fromToken: (token) => Promise.resolve(sessions.get(token) ?? null),
      get: unused('sessions.get'),
      end: unused('sessions.end'),
      isRevoked: unused('sessions.isRevoked'),
      orgOf: unused('sessions.orgOf'),
    },
    // A family that issued no access tokens; nothing else of the store is used here.
    grants: { familyAccessTokens: () => Promise.resolve([]) } as Partial<GrantStore> as GrantStore,
    keyRing: {} as KeyRing,
    verifyJwt: unused('verifyJwt'),
    clock,
    rememberClient: () => Promise.resolve(),
    revocations: {
      revoke: () => Promise.resolve(true),
      isAccessTokenRevoked: () => Promise.resolve(false),
      clientCutoffMs: () => Promise.resolve(null),
    },
    reauthenticationKey: Buffer.alloc(32, 7),
  });
  return { ctx, clock, clients, sessions, user, org };
}

/** A session of the fake user that signed in `ageSeconds` ago. */
export function sessionSignedIn(clock: { nowMs(): number }, ageSeconds: number): SessionView {
  return {
    id: 'sid-1',
    orgId: 'org-1',
    userId: 'user-1',
    amr: ['pwd'],
    acr: null,
    authTime: Math.floor(clock.nowMs() / 1000) - ageSeconds,
    expiresAtMs: clock.nowMs() + 3_600_000,
  };
}
