import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from './webhook.js';

/**
 * Webhook signatures in the Standard Webhooks format (https://www.standardwebhooks.com/),
 * so a receiver verifies with an existing library in its language. Each delivery carries
 *
 *   webhook-id: <the delivery's id: the same on every retry and replay of it>
 *   webhook-timestamp: <unix seconds>
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>
 *
 * over the exact bytes of the body; several space-separated signatures when signing with
 * several secrets (a receiver accepts any one that matches). The key is webhookSigningKey.
 */
export const STANDARD_WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** Standard Webhooks asks for secrets of 24 to 64 bytes; ours are 32. */
const MIN_KEY_BYTES = 24;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The bytes `encoded` is the canonical base64 (padded or not) or base64url of, else null. */
function decodeCanonicalBase64(encoded: string): Buffer | null {
  if (!BASE64.test(encoded) && !BASE64URL.test(encoded)) return null;
  const standard = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const unpadded = standard.replace(/=+$/, '');
  const bytes = Buffer.from(unpadded, 'base64');
  const reencoded = bytes.toString('base64');
  // Node's decoder is lenient (stray bits, wrong padding): only a round trip is canonical.
  if (reencoded.replace(/=+$/, '') !== unpadded) return null;
  if (standard !== unpadded && standard !== reencoded) return null;
  return bytes;
}

/**
 * The HMAC key of a webhook secret. As Standard Webhooks says: the base64-decoded part
 * after `whsec_` (what its libraries compute from the secret string). Secrets made before
 * issue 14 are `whsec_` + base64url of 32 bytes: their key is those same 32 bytes (a
 * receiver gives a library the secret with `-` → `+` and `_` → `/` after `whsec_`, or
 * rotates it). No migration: the receiver holds the secret string as it was shown. A
 * secret whose rest is not canonical base64 of at least 24 bytes (Latchkey never made
 * one) still signs, keyed with the whole string as UTF-8, as the legacy header is.
 */
export function webhookSigningKey(secret: string): Buffer {
  if (secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    const key = decodeCanonicalBase64(secret.slice(WEBHOOK_SECRET_PREFIX.length));
    if (key !== null && key.length >= MIN_KEY_BYTES) return key;
  }
  return Buffer.from(secret, 'utf8');
}

/** One `v1,<base64>` signature of the message by secret. */
export function signStandardWebhook(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac('sha256', webhookSigningKey(secret))
    .update(`${messageId}.${timestampSeconds}.`)
    .update(body)
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * The three Standard Webhooks headers of a delivery, signed with every one of secrets
 * (one, or two while a rotation overlaps), space-separated in the order given.
 */
export function standardWebhookHeaders(
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): Record<(typeof STANDARD_WEBHOOK_HEADERS)[keyof typeof STANDARD_WEBHOOK_HEADERS], string> {
  if (secrets.length === 0) throw new Error('a webhook is signed with at least one secret');
  return {
    [STANDARD_WEBHOOK_HEADERS.id]: messageId,
    [STANDARD_WEBHOOK_HEADERS.timestamp]: String(timestampSeconds),
    [STANDARD_WEBHOOK_HEADERS.signature]: secrets
      .map((secret) => signStandardWebhook(secret, messageId, timestampSeconds, body))
      .join(' '),
  };
}

/**
 * Deprecated: the header Latchkey signed with before Standard Webhooks, still sent
 * beside the standard headers for one release so current receivers keep working;
 * receivers move to webhook-signature. It is
 *
 *   Latchkey-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
 *
 * keyed with the whole secret string (`whsec_…`) as UTF-8, over the exact bytes of the
 * body. The timestamp is signed, so a captured request cannot be replayed later than the
 * receiver's tolerance.
 */
export const SIGNATURE_HEADER = 'Latchkey-Signature';

const hmacHex = (secret: string, timestampSeconds: number, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');

/** Deprecated: the Latchkey-Signature header value for body, signed at timestampSeconds. */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

/**
 * Deprecated (Latchkey-Signature): true when header is a signature of body by secret,
 * made at most toleranceSeconds from now (either way). Any malformed header is false;
 * several v1 values pass when one matches. Compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Buffer,
  options: { toleranceSeconds: number; nowSeconds?: number },
): boolean {
  if (typeof header !== 'string' || header.length > 4096) return false;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > options.toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  let matched = false;
  for (const signature of signatures) {
    // Every candidate is compared, so timing does not reveal which one matched.
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  return matched;
}
