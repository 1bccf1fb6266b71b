import { createHash } from 'node:crypto';

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
 * is what a jsonb column gives back after the round trip.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${members.join(',')}}`;
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

const sha256 = (...parts: Buffer[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

export function piiDigest(salt: Buffer, personal: PersonalFields): Buffer {
  return sha256(
    salt,
    Buffer.from(
      canonicalJson({
        actor_id: personal.actorId,
        target_id: personal.targetId,
        ip: personal.ip,
        user_agent: personal.userAgent,
        data: personal.data,
      }),
    ),
  );
}

export function eventHash(prevHash: Buffer, event: ChainedFields): Buffer {
  return sha256(
    prevHash,
    Buffer.from(
      canonicalJson({
        v: CHAIN_VERSION,
        id: event.id,
        chain_id: event.chainId,
        seq: event.seq,
        occurred_at: event.occurredAtMs,
        type: event.type,
        schema_version: event.schemaVersion,
        org_id: event.orgId,
        actor_type: event.actorType,
        target_type: event.targetType,
        outcome: event.outcome,
        reason: event.reason,
        request_id: event.requestId,
        pii_digest: event.piiDigest.toString('hex'),
      }),
    ),
  );
}

/** A bytea as a Buffer, whichever driver read it (pg: Buffer, PGlite: Uint8Array). */
export const bytes = (value: unknown): Buffer | null =>
  value === null || value === undefined ? null : Buffer.from(value as Uint8Array);
