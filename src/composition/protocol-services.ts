import type { AuditLog } from '../audit/index.js';
import { oidcRedirectUri, type ConnectionService } from '../connections/index.js';
import {
  createBrowserSignOut,
  createLoginService,
  createLoginTransactions,
  createOidcUpstream,
  createSamlServiceProvider,
  createSpKeySource,
  createConnectionTestService,
  type BrowserSignOut,
  type ConnectionTestService,
  type LoginService,
} from '../federation/index.js';
import {
  clientStore,
  memberProfiles,
  orgStore,
  type ClientService,
  type MemberProfile,
  type ProfileChanges,
  type UserService,
} from '../orgs/index.js';
import { sessionCookie, type SessionCookie } from '../sessions/index.js';
import {
  createBackchannelLogout,
  createOAuthService,
  createOwnJwtVerifier,
  type BackchannelLogout,
  type ClientRegistry,
  type KeyRing,
  type OAuthService,
} from '../tokens/index.js';
import {
  clientRegistry,
  formPoster,
  sessionGateway,
  signedInEmail,
  tokenAudit,
  tokenRevocations,
  userDirectory,
} from '../wiring.js';
import { reauthenticationKey } from './secrets.js';
import type { SessionServices } from './session-services.js';
import type { Stores } from './open-stores.js';
import type { Runtime } from './runtime.js';
import type { Doors } from '../platform/rate-limit/index.js';
import { loginBudgets } from '../wiring.js';

/** The protocols a browser and the apps speak: sign-in, OAuth 2 / OIDC, sign-out. */
export interface ProtocolServices {
  /** The session cookie's name and attributes. */
  cookie: SessionCookie;
  /** The OAuth provider's view of the clients, cached for the hot path. */
  registry: ClientRegistry;
  oauth: OAuthService;
  backchannel: BackchannelLogout;
  login: LoginService;
  /** Test sign-ins of connections, and activation once one passed (issue 18). */
  connectionTests: ConnectionTestService;
  signOut: BrowserSignOut;
  /** The account page's view of the signed-in member (null unless user and org are active). */
  memberProfile: (orgId: string, userId: string) => Promise<MemberProfile | null>;
  /** Whether a return target is some active client's registered redirect URI. */
  isRegisteredRedirectUri: (uri: string) => Promise<boolean>;
  signedInEmail: (sessionToken: string) => Promise<string | null>;
}

export function buildProtocolServices(
  rt: Runtime,
  { db, ephemeral }: Stores,
  deps: Pick<SessionServices, 'sessions' | 'grants' | 'revocations' | 'revocationMirror'> & {
    audit: AuditLog;
    keyRing: KeyRing;
    users: UserService;
    /** Users a write in this process changed: the token path's profile cache forgets them. */
    profileChanges: ProfileChanges;
    clients: ClientService;
    connections: ConnectionService;
    doors: Doors;
  },
): ProtocolServices {
  const { config, logger, clock, metrics } = rt;
  const { sessions, audit, keyRing, users } = deps;
  const registry = clientRegistry(deps.clients, clock);
  const oauth = createOAuthService({
    settings: {
      issuer: config.server.issuer,
      maxAccessTokenTtlSeconds: config.tokens.maxAccessTokenTtlSeconds,
      idTokenTtlSeconds: config.tokens.idTokenTtlSeconds,
      refreshTokenTtlSeconds: config.tokens.refreshTokenTtlSeconds,
      refreshReuseGraceSeconds: config.tokens.refreshReuseGraceSeconds,
      clockToleranceSeconds: config.tokens.clockToleranceSeconds,
    },
    clients: registry,
    users: userDirectory(users, () => orgStore(db), clock, deps.profileChanges),
    sessions: sessionGateway(sessions),
    grants: deps.grants,
    keyRing,
    verifyJwt: createOwnJwtVerifier(keyRing),
    clock,
    rememberClient: (sid, clientId, ttlMs) =>
      ephemeral.addToSet(`session-clients:${sid}`, clientId, ttlMs),
    revocations: tokenRevocations(deps.revocations, deps.revocationMirror, audit, clock),
    audit: tokenAudit(audit),
    reauthenticationKey: reauthenticationKey(config),
  });
  const connectionTests = createConnectionTestService({
    db,
    audit,
    clock,
    connections: deps.connections,
  });
  const login = createLoginService({
    db,
    tests: connectionTests.recorder,
    connections: deps.connections,
    users,
    sessions,
    transactions: createLoginTransactions(ephemeral),
    oidc: createOidcUpstream({
      policy: config.outbound,
      redirectUri: (connectionId) => oidcRedirectUri(config.server.issuer, connectionId),
      onRequest: (request, seconds) =>
        metrics.observeUpstreamIdpRequest({ ...request, protocol: 'oidc' }, seconds),
    }),
    saml: createSamlServiceProvider({
      issuer: config.server.issuer,
      keys: createSpKeySource({
        dir: config.keys.dir,
        generateIfMissing: config.keys.generateIfMissing,
        clock,
      }),
    }),
    ephemeral,
    samlClockSkewSeconds: config.saml.clockSkewSeconds,
    audit,
    metrics,
    clock,
    admit: loginBudgets(deps.doors, db, clock),
  });
  return {
    cookie: sessionCookie(config.server.issuer, config.sessions.cookieName),
    connectionTests,
    registry,
    oauth,
    backchannel: createBackchannelLogout({
      issuer: config.server.issuer,
      keyRing,
      clients: registry,
      clientsOfSession: (sid) => ephemeral.setMembers(`session-clients:${sid}`),
      post: formPoster(config.outbound),
      clock,
      onDelivery: (result) => logger.info(result, 'back-channel logout delivery'),
    }),
    login,
    signOut: createBrowserSignOut({ sessions, login }),
    memberProfile: memberProfiles({ db, users }),
    isRegisteredRedirectUri: (uri) => clientStore(db).hasActiveRedirectUri(uri),
    signedInEmail: signedInEmail(sessions, users),
  };
}
