import type { AuditLog } from '../audit/index.js';
import {
  createPoller,
  createPushJob,
  createSetRenderer,
  createSqlRevocationLog,
  createSsfService,
  createStreamStore,
  ssfAudience,
  startRevocationFeed,
  type Poller,
  type PushJob,
  type ReceiverAuthenticator,
  type RevocationFeed,
  type SetRenderer,
  type SsfService,
  type StreamStore,
} from '../signals/index.js';
import { signJwt, type KeyRing, type OAuthService } from '../tokens/index.js';
import type { SecretBox } from '../platform/crypto/index.js';
import { streamAudit } from '../wiring.js';
import type { Stores } from './open-stores.js';
import type { Runtime } from './runtime.js';

/** The Shared Signals transmitter's services (docs/revocation-events.md). */
export interface SignalServices {
  ssf: SsfService;
  streamStore: StreamStore;
  renderSets: SetRenderer;
  /** A receiver's bearer token → its client id (the token domain checks it). */
  authenticateReceiver: ReceiverAuthenticator;
}

export function buildSignalServices(
  rt: Runtime,
  { db }: Stores,
  deps: { audit: AuditLog; secretBox: SecretBox; keyRing: KeyRing; oauth: OAuthService },
): SignalServices {
  const { config, clock } = rt;
  const issuer = config.server.issuer;
  const sign = (claims: Record<string, unknown>) => signJwt(deps.keyRing, 'secevent+jwt', claims);
  const streamStore = createStreamStore(db);
  const audience = ssfAudience(issuer);
  return {
    streamStore,
    renderSets: createSetRenderer({ sign, issuer, clock }),
    ssf: createSsfService({
      store: streamStore,
      sign,
      issuer,
      clock,
      outbound: config.outbound,
      seal: (plaintext, context) => deps.secretBox.seal(plaintext, context),
      audit: streamAudit(deps.audit),
    }),
    authenticateReceiver: (authorization) =>
      deps.oauth.authenticateResourceRequest(authorization, { audience, scope: 'ssf' }),
  };
}

/** The transmitter's moving parts: the process's tail of the log, polling, push delivery. */
export interface SignalJobs {
  revocationFeed: RevocationFeed;
  ssfPoll: Poller;
  ssfPush: PushJob;
}

export async function startSignalJobs(
  rt: Runtime,
  { db }: Stores,
  services: SignalServices & { secretBox: SecretBox },
): Promise<SignalJobs> {
  const { config, logger, clock } = rt;
  const revocationFeed = await startRevocationFeed({
    db,
    log: createSqlRevocationLog(db),
    clock,
    pollIntervalMs: config.signals.feedPollIntervalMs,
    onError: (error, what) => logger.warn({ err: error }, what),
  });
  rt.onClose(() => revocationFeed.stop());
  const ssfPoll = createPoller({
    store: services.streamStore,
    feed: revocationFeed,
    render: services.renderSets,
    onSetError: (streamId, jti, err, description) =>
      logger.warn({ streamId, jti, err, description }, 'ssf receiver reported a SET error'),
  });
  const ssfPush = createPushJob({
    store: services.streamStore,
    feed: revocationFeed,
    render: services.renderSets,
    clock,
    outbound: config.outbound,
    open: (sealed, context) => services.secretBox.open(sealed, context),
    onError: (error) => logger.warn({ err: error }, 'ssf push delivery failed'),
  });
  ssfPush.start(config.signals.pushIntervalMs);
  rt.onClose(() => ssfPush.stop());
  return { revocationFeed, ssfPoll, ssfPush };
}
