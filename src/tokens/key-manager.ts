import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { AppError } from '../platform/errors.js';
import type { Clock } from '../platform/clock.js';
import type { KeyFiles } from './key-files.js';
import type { TokenAudit } from './ports.js';
import type { SigningKeyRecord, SigningKeyStore } from './signing-key-store.js';

export type SigningAlgorithm = 'ES256' | 'RS256' | 'EdDSA';

export interface KeyLifecycleSettings {
  algorithm: SigningAlgorithm;
  /** A next key must have been published this long before it may sign. */
  minPublishedSecondsBeforeSigning: number;
  /** A retired key stays published this long (longer than any token it signed lives). */
  retiredPublishedSeconds: number;
}

/**
 * Rotation, step by step:
 *   add      a new key enters as `next`: published in the JWKS, not yet signing
 *   promote  a `next` key that has been published long enough becomes `active`; the old
 *            active key becomes `retired` and stays published for retiredPublishedSeconds
 *   retire   withdraws a `next` key that will not be used (the active key cannot be
 *            retired except by promoting another)
 *   prune    deletes retired keys whose publication window is over, row and file
 * So a key is always published before it signs and until every token it signed expired.
 */
export interface KeyManager {
  list(): Promise<Array<SigningKeyRecord & { published: boolean; publishedUntil: Date | null }>>;
  add(): Promise<SigningKeyRecord>;
  promote(kid: string, options?: { force?: boolean }): Promise<{ previousKid: string | null }>;
  retire(kid: string): Promise<void>;
  prune(): Promise<string[]>;
  /** Development start: when no key is active, generate one and make it active at once. */
  ensureActiveKey(options: { generateIfMissing: boolean }): Promise<void>;
}

export const isPublished = (record: SigningKeyRecord, now: Date, retiredPublishedSeconds: number) =>
  record.state !== 'retired' || publishedUntil(record, retiredPublishedSeconds)! > now;

interface KeyManagerDeps {
  store: SigningKeyStore;
  files: KeyFiles;
  clock: Clock;
  settings: KeyLifecycleSettings;
  /** Records key.rotated on promote (only operators promote, through the CLI). */
  audit?: TokenAudit;
}

const publishedUntil = (record: SigningKeyRecord, retiredPublishedSeconds: number) =>
  record.retiredAt ? new Date(record.retiredAt.getTime() + retiredPublishedSeconds * 1000) : null;

/** Generates a key, writes its private file and records it as the next key. */
async function addKey(deps: KeyManagerDeps): Promise<SigningKeyRecord> {
  const { store, files, clock, settings } = deps;
  const { privateKey } = await generateKeyPair(settings.algorithm, {
    extractable: true,
    ...(settings.algorithm === 'RS256' ? { modulusLength: 3072 } : {}),
  });
  const privateJwk = await exportJWK(privateKey);
  const publicJwk = publicPart(privateJwk);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const full: JWK = { ...privateJwk, kid, alg: settings.algorithm, use: 'sig' };
  await files.write(kid, full);
  const record = {
    kid,
    alg: settings.algorithm,
    publicJwk: { ...publicJwk, kid, alg: settings.algorithm, use: 'sig' },
    createdAt: clock.now(),
  };
  await store.insertNext(record);
  return { ...record, state: 'next', activatedAt: null, retiredAt: null };
}

/** Makes a next key the active one, once relying parties' JWKS caches can know it. */
async function promoteKey(
  deps: KeyManagerDeps,
  kid: string,
  options: { force?: boolean },
): Promise<{ previousKid: string | null }> {
  const { store, files, clock, settings } = deps;
  const record = await store.get(kid);
  if (!record) throw new AppError('key_not_found', `no signing key ${kid}`, { status: 404 });
  if (record.state !== 'next') {
    throw new AppError(
      'key_state_invalid',
      `key ${kid} is ${record.state}; only a next key can be promoted`,
      {
        status: 409,
      },
    );
  }
  const publishedForSeconds = (clock.nowMs() - record.createdAt.getTime()) / 1000;
  if (!options.force && publishedForSeconds < settings.minPublishedSecondsBeforeSigning) {
    throw new AppError(
      'key_not_published_long_enough',
      `key ${kid} has been published for ${Math.floor(publishedForSeconds)} s; it may sign after ` +
        `${settings.minPublishedSecondsBeforeSigning} s so relying parties' JWKS caches know it (--force overrides)`,
      { status: 409 },
    );
  }
  if (!(await files.read(kid))) {
    throw new AppError(
      'key_material_missing',
      `no private key file for ${kid} at ${files.pathOf(kid)}`,
      {
        status: 409,
      },
    );
  }
  const result = await store.activate(kid, clock.now());
  if (!result.activated) {
    throw new AppError('key_state_invalid', `key ${kid} changed state meanwhile; list and retry`, {
      status: 409,
    });
  }
  await deps.audit?.append({
    type: 'key.rotated',
    orgId: null,
    actor: { type: 'cli', id: null },
    target: { type: 'signing_key', id: kid },
    data: {
      kid,
      alg: record.alg,
      previous_kid: result.previousKid,
      forced: options.force === true,
    },
  });
  return { previousKid: result.previousKid };
}

export function createKeyManager(deps: KeyManagerDeps): KeyManager {
  const { store, files, clock, settings } = deps;

  const add = () => addKey(deps);
  const promote = (kid: string, options: { force?: boolean } = {}) =>
    promoteKey(deps, kid, options);

  return {
    async list() {
      const now = clock.now();
      return (await store.list()).map((record) => ({
        ...record,
        published: isPublished(record, now, settings.retiredPublishedSeconds),
        publishedUntil: publishedUntil(record, settings.retiredPublishedSeconds),
      }));
    },
    add,
    promote,
    async retire(kid) {
      const record = await store.get(kid);
      if (!record) throw new AppError('key_not_found', `no signing key ${kid}`, { status: 404 });
      if (record.state === 'active') {
        throw new AppError(
          'key_state_invalid',
          `key ${kid} is active; promote a next key to retire it, so something always signs`,
          { status: 409 },
        );
      }
      if (record.state === 'retired') return;
      if (!(await store.retireNext(kid, clock.now()))) {
        throw new AppError(
          'key_state_invalid',
          `key ${kid} changed state meanwhile; list and retry`,
          { status: 409 },
        );
      }
    },
    async prune() {
      const now = clock.now();
      const removed: string[] = [];
      for (const record of await store.list()) {
        if (
          record.state === 'retired' &&
          !isPublished(record, now, settings.retiredPublishedSeconds)
        ) {
          if (await store.removeRetired(record.kid)) {
            await files.remove(record.kid);
            removed.push(record.kid);
          }
        }
      }
      return removed;
    },
    async ensureActiveKey({ generateIfMissing }) {
      const keys = await store.list();
      if (keys.some((k) => k.state === 'active')) return;
      if (!generateIfMissing) {
        throw new AppError(
          'no_active_signing_key',
          'no active signing key: run `npm run cli -- keys add`, then `npm run cli -- keys promote <kid>`',
          { status: 503 },
        );
      }
      const record = await add();
      await promote(record.kid, { force: true });
    },
  };
}

/** The public members of a private JWK (RFC 7517/7518): everything but the private parameters. */
function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...rest } = jwk;
  return rest;
}
