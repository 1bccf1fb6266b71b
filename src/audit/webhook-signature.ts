import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, for Latchkey (signing) and for receivers (verifying; this file
 * imports only node:crypto, so a receiver may copy it). The header is
 *
 *   Latchkey-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
 *
 * keyed with the whole secret string (`whsec_…`) as UTF-8, over the exact bytes of the
 * body. The timestamp is signed, so a captured request cannot be replayed later than the
 * receiver's tolerance; during a secret rotation a receiver may try both secrets.
 */
export const SIGNATURE_HEADER = 'Latchkey-Signature';

const hmacHex = (secret: string, timestampSeconds: number, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');

/** The Latchkey-Signature header value for body, signed at timestampSeconds. */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

/**
 * True when header is a signature of body by secret, made at most toleranceSeconds from
 * now (either way). Any malformed header is false; several v1 values (a sender may sign
 * with two secrets) pass when one matches. Compared in constant time.
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
