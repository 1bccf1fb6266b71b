import { KeyObject } from 'node:crypto';
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
  /** The same key for node:crypto's synchronous signer (3× faster than WebCrypto here). */
  keyObject: KeyObject;
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
  // One object per refresh, so verifiers can cache imported keys by identity.
  let published: { keys: JWK[] } = { keys: [] };
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
      const privateKey = (await importJWK(privateJwk, current.alg)) as CryptoKey;
      active = {
        kid: current.kid,
        alg: current.alg,
        privateKey,
        keyObject: KeyObject.from(privateKey),
      };
    } else if (!current) {
      active = null;
    }
    const keys = records
      .filter((r) => isPublished(r, now, deps.retiredPublishedSeconds))
      .map((r) => r.publicJwk as JWK);
    if (JSON.stringify(keys) !== JSON.stringify(published.keys)) published = { keys };
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
    jwks: () => published,
    start(refreshIntervalMs, onError) {
      timer = setInterval(() => void refresh().catch(onError), refreshIntervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/**
 * The algorithms of the published keys, which are the ones an ID token or access token
 * may be signed with (discovery's id_token_signing_alg_values_supported); the configured
 * one while nothing is published yet.
 */
export function signingAlgorithms(keyRing: Pick<KeyRing, 'jwks'>, configured: string): string[] {
  const algorithms = new Set<string>();
  for (const key of keyRing.jwks().keys) if (typeof key.alg === 'string') algorithms.add(key.alg);
  return algorithms.size ? [...algorithms] : [configured];
}
