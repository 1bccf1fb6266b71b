import * as crypto from 'node:crypto';

/**
 * The audit hash chain's arithmetic, shared by the writer (audit-store.ts) and the
 * verifier (audit-verify.ts) so the two can never disagree on a byte.
 *
 *   pii_digest = SHA-256(pii_salt || canonical({actor_id, target_id, ip, user_agent, data}))
 *   hash       = SHA-256(prev_hash || canonical({v: 1, id, chain_id, seq, occurred_at (ms),
 *                type, schema_version, org_id, actor_type, target_type, outcome, reason,
 *                request_id, pii_digest (hex)}))
 *
 * The personal fields enter the chain only through their salted digest: erasing them
 * (pseudonymisation clears the salt) leaves every hash, and so the chain, intact.
 */
export const CHAIN_VERSION = 1;

/** The chain of platform events (no org). */
export const PLATFORM_CHAIN_ID = '00000000-0000-0000-0000-000000000000';

/** prev_hash of a chain's first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

export const chainIdOf = (orgId: string | null): string => orgId ?? PLATFORM_CHAIN_ID;

/**
 * JSON with object keys sorted at every level and no whitespace; undefined members are
 * left out (as JSON.stringify does). Numbers and strings are JSON.stringify's own, which
 * is what a jsonb column gives back after the round trip. (Keys sort by UTF-16 code units,
 * Array.prototype.sort's default order, as they always have: the chain depends on it.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

export interface PersonalFields {
  actorId: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  data: Record<string, unknown>;
}

export interface ChainedFields {
  id: string;
  chainId: string;
  seq: number;
  occurredAtMs: number;
  type: string;
  schemaVersion: number;
  orgId: string | null;
  actorType: string;
  targetType: string | null;
  outcome: string;
  reason: string | null;
  requestId: string | null;
  piiDigest: Buffer;
}

/** SHA-256 of prefix || text (UTF-8), one-shot where node:crypto has crypto.hash (20.12+). */
const sha256 =
  typeof crypto.hash === 'function'
    ? (prefix: Buffer, text: string) =>
        crypto.hash('sha256', Buffer.concat([prefix, Buffer.from(text)]), 'buffer')
    : (prefix: Buffer, text: string) =>
        crypto.createHash('sha256').update(prefix).update(text).digest();

/** `,"key":value` in canonical form, or nothing for an undefined value (as canonicalJson). */
const member = (key: string, value: unknown) =>
  value === undefined ? '' : `,"${key}":${canonicalJson(value)}`;

export function piiDigest(salt: Buffer, personal: PersonalFields): Buffer {
  // canonicalJson({actor_id, data, ip, target_id, user_agent}), its keys written in their
  // sorted order (test/audit/audit-chain-format.test.ts holds the two to the same bytes).
  const body =
    member('actor_id', personal.actorId) +
    member('data', personal.data) +
    member('ip', personal.ip) +
    member('target_id', personal.targetId) +
    member('user_agent', personal.userAgent);
  return sha256(salt, `{${body.slice(1)}}`);
}

export function eventHash(prevHash: Buffer, event: ChainedFields): Buffer {
  // canonicalJson({v, id, chain_id, …}), its keys written in their sorted order.
  const body =
    member('actor_type', event.actorType) +
    member('chain_id', event.chainId) +
    member('id', event.id) +
    member('occurred_at', event.occurredAtMs) +
    member('org_id', event.orgId) +
    member('outcome', event.outcome) +
    member('pii_digest', event.piiDigest.toString('hex')) +
    member('reason', event.reason) +
    member('request_id', event.requestId) +
    member('schema_version', event.schemaVersion) +
    member('seq', event.seq) +
    member('target_type', event.targetType) +
    member('type', event.type) +
    member('v', CHAIN_VERSION);
  return sha256(prevHash, `{${body.slice(1)}}`);
}

/** A bytea as a Buffer, whichever driver read it (pg: Buffer, PGlite: Uint8Array). */
export const bytes = (value: unknown): Buffer | null =>
  value === null || value === undefined ? null : Buffer.from(value as Uint8Array);
