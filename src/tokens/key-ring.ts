import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { KeyFiles } from './key-files.js';
import { isPublished } from './key-manager.js';
import type { SigningKeyStore } from './signing-key-store.js';

export interface ActiveSigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

/**
 * The running process's view of the keys: which one signs, which ones are published.
 * Reloaded from the store on a schedule, so a promotion made by the CLI on one machine
 * reaches every process within refreshIntervalMs.
 */
export interface KeyRing {
  refresh(): Promise<void>;
  /** The key that signs now; throws when none is active. */
  signingKey(): ActiveSigningKey;
  /** The JWKS document: every published public key. */
  jwks(): { keys: JWK[] };
  start(refreshIntervalMs: number, onError: (error: unknown) => void): void;
  stop(): void;
}

export function createKeyRing(deps: {
  store: SigningKeyStore;
  files: KeyFiles;
  clock: Clock;
  retiredPublishedSeconds: number;
}): KeyRing {
  let active: ActiveSigningKey | null = null;
  let published: JWK[] = [];
  let timer: NodeJS.Timeout | undefined;

  const refresh = async () => {
    const records = await deps.store.list();
    const now = deps.clock.now();
    const current = records.find((r) => r.state === 'active');
    if (current && current.kid !== active?.kid) {
      const privateJwk = await deps.files.read(current.kid);
      if (!privateJwk) {
        throw new Error(
          `active signing key ${current.kid} has no private key file at ${deps.files.pathOf(current.kid)}`,
        );
      }
      active = {
        kid: current.kid,
        alg: current.alg,
        privateKey: (await importJWK(privateJwk, current.alg)) as CryptoKey,
      };
    } else if (!current) {
      active = null;
    }
    published = records
      .filter((r) => isPublished(r, now, deps.retiredPublishedSeconds))
      .map((r) => r.publicJwk as JWK);
  };

  return {
    refresh,
    signingKey() {
      if (!active) {
        throw new AppError('no_active_signing_key', 'no signing key is active; promote one', {
          status: 503,
        });
      }
      return active;
    },
    jwks: () => ({ keys: published }),
    start(refreshIntervalMs, onError) {
      timer = setInterval(() => void refresh().catch(onError), refreshIntervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
