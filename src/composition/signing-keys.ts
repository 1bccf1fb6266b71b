import type { AuditLog } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config/index.js';
import type { Database } from '../platform/db/index.js';
import {
  createKeyFiles,
  createKeyManager,
  createKeyRing,
  createSqlSigningKeyStore,
  type KeyManager,
  type KeyRing,
} from '../tokens/index.js';
import { tokenAudit } from '../wiring.js';

/** The signing keys' manager (operators' rotations) and ring (what signs and verifies). */
export function keyServices(
  config: Config,
  db: Database,
  clock: Clock,
  audit?: AuditLog,
): { keyManager: KeyManager; keyRing: KeyRing } {
  const store = createSqlSigningKeyStore(db);
  const files = createKeyFiles(config.keys.dir);
  const keyManager = createKeyManager({
    store,
    files,
    clock,
    ...(audit ? { audit: tokenAudit(audit) } : {}),
    settings: {
      algorithm: config.keys.algorithm,
      minPublishedSecondsBeforeSigning: config.keys.minPublishedSecondsBeforeSigning,
      retiredPublishedSeconds: config.keys.retiredPublishedSeconds,
    },
  });
  const keyRing = createKeyRing({
    store,
    files,
    clock,
    retiredPublishedSeconds: config.keys.retiredPublishedSeconds,
  });
  return { keyManager, keyRing };
}

/**
 * Before anything signs: an active key exists (in development, keys.generateIfMissing
 * generates one into keys/; in production the operator provides it) and the ring has
 * loaded the keys in force.
 */
export async function prepareSigningKeys(
  config: Config,
  keys: { keyManager: KeyManager; keyRing: KeyRing },
): Promise<void> {
  await keys.keyManager.ensureActiveKey({ generateIfMissing: config.keys.generateIfMissing });
  await keys.keyRing.refresh();
}
