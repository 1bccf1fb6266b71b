import {
  createAuditLog,
  createAuditQuery,
  type AuditLog,
  type AuditQuery,
} from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config/index.js';
import { createSecretBox, type SecretBox } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { orgStore, type TxtResolver } from '../orgs/index.js';
import type { KeyManager, KeyRing } from '../tokens/index.js';
import { auditPolicies } from '../wiring.js';
import { buildAdminServices, type AdminServices } from './admin-services.js';
import type { Stores } from './open-stores.js';
import { buildProtocolServices, type ProtocolServices } from './protocol-services.js';
import type { Runtime } from './runtime.js';
import { auditPseudonymKey, keyEncryptionKey } from './secrets.js';
import { buildDoors } from './abuse-protection.js';
import type { Doors } from '../platform/rate-limit/index.js';
import { buildSessionServices, type SessionServices } from './session-services.js';
import { buildSignalServices, type SignalServices } from './signal-services.js';
import { keyServices, prepareSigningKeys } from './signing-keys.js';

/** Every service of the app, built over its stores; nothing runs in the background yet. */
export type Services = AdminServices &
  SessionServices &
  ProtocolServices &
  SignalServices & {
    audit: AuditLog;
    /** The read side of the audit trail (admin queries, exports). */
    auditQuery: AuditQuery;
    /** Seals what Latchkey must present later (upstream and webhook secrets). */
    secretBox: SecretBox;
    keyManager: KeyManager;
    keyRing: KeyRing;
    /** Rate limits and failed-credential backoffs, door by door. */
    doors: Doors;
  };

/** The audit log as configured: group commit on db, org IP policies, the pseudonym key. */
export function auditLogFor(config: Config, db: Database, clock: Clock): AuditLog {
  return createAuditLog({
    db,
    clock,
    pseudonymKey: auditPseudonymKey(config),
    policies: auditPolicies(orgStore, clock),
  });
}

/** Step 2: the services, wired to each other through the adapters in wiring.ts. */
export async function buildServices(
  rt: Runtime,
  stores: Stores,
  deps: { resolveTxt?: TxtResolver },
): Promise<Services> {
  const { config, clock, metrics } = rt;
  const audit = auditLogFor(config, stores.db, clock);
  // Closed before the database (closers run in reverse): queued events are written.
  rt.onClose(() => audit.close());
  const keys = keyServices(config, stores.db, clock, audit);
  await prepareSigningKeys(config, keys);
  const auditQuery = createAuditQuery({ db: stores.db, audit });
  const doors = buildDoors(rt, stores, audit);
  const sessionServices = buildSessionServices(rt, stores, audit);
  const { sessions, activeSessions, onLedgerError } = sessionServices;
  const secretBox = createSecretBox(keyEncryptionKey(config));
  const admin = buildAdminServices(rt, stores, {
    audit,
    auditQuery,
    sessions,
    revocations: sessionServices.revocations,
    secretBox,
    doors,
    ...(deps.resolveTxt ? { resolveTxt: deps.resolveTxt } : {}),
  });
  const protocols = buildProtocolServices(rt, stores, {
    ...sessionServices,
    audit,
    keyRing: keys.keyRing,
    users: admin.users,
    profileChanges: admin.profileChanges,
    clients: admin.clients,
    connections: admin.connections,
    doors,
  });
  // An ended session: the apps that took part hear of it (back-channel logout); then what
  // Redis kept for its tokens goes (after the back-channel logout read it); then it is counted.
  sessions.onEnded((session) => protocols.backchannel.notify(session));
  sessions.onEnded(async (session) => {
    await sessionServices.grants.forgetSession(session.id);
    await stores.ephemeral.delete(`session-clients:${session.id}`);
  });
  sessions.onEnded((session, reason) => {
    metrics.countRevocation(reason);
    activeSessions.ended(session.absoluteExpiresAtMs).catch(onLedgerError);
  });
  const signals = buildSignalServices(rt, stores, {
    audit,
    secretBox,
    keyRing: keys.keyRing,
    oauth: protocols.oauth,
  });
  return {
    ...admin,
    ...sessionServices,
    ...protocols,
    ...signals,
    audit,
    auditQuery,
    secretBox,
    doors,
    ...keys,
  };
}
