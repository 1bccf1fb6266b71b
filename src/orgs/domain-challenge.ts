import type { OrgDomain } from './domain-store.js';

/**
 * The DNS side of a domain claim: the org publishes the claim's token in a TXT record at
 * `_latchkey-challenge.<domain>`, and verification looks it up.
 */

/** Looks up TXT records (node:dns/promises resolveTxt in production; a local answer in tests). */
export type TxtResolver = (name: string) => Promise<string[][]>;

/** The DNS name whose TXT record proves control of a domain. */
export const challengeRecordName = (domain: string) => `_latchkey-challenge.${domain}`;

/** How long a TXT lookup may take before it counts as a failed verification. */
export const DEFAULT_DNS_TIMEOUT_MS = 5000;

export type ChallengeLookup =
  | { ok: true }
  | {
      ok: false;
      reason: 'txt_record_mismatch' | 'txt_record_not_found' | 'dns_lookup_failed';
      dnsError: string | null;
    };

/** Resolver error codes are echoed in problems and audit rows: keep them short and tame. */
const errorCodeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'UNKNOWN';
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Any TXT record (its chunks joined, RFC 7208 §3.3 style) equal to the token passes. */
export async function lookUpChallenge(
  resolveTxt: TxtResolver,
  timeoutMs: number,
  domain: OrgDomain,
): Promise<ChallengeLookup> {
  let values: string[];
  try {
    const records: unknown = await withTimeout(
      Promise.resolve().then(() => resolveTxt(challengeRecordName(domain.domain))),
      timeoutMs,
    );
    // Whatever a resolver hands back, reading it must not throw past here.
    values = Array.isArray(records)
      ? records.map((chunks: unknown) =>
          Array.isArray(chunks) ? chunks.map(String).join('') : String(chunks),
        )
      : [];
  } catch (error) {
    const dnsError = errorCodeOf(error);
    const absent = dnsError === 'ENOTFOUND' || dnsError === 'ENODATA';
    return { ok: false, reason: absent ? 'txt_record_not_found' : 'dns_lookup_failed', dnsError };
  }
  if (values.length === 0) return { ok: false, reason: 'txt_record_not_found', dnsError: null };
  return values.includes(domain.verificationToken)
    ? { ok: true }
    : { ok: false, reason: 'txt_record_mismatch', dnsError: null };
}

/** What a failed lookup found, and what to do about it (the 422's detail). */
export function failedLookupDetail(
  lookup: Extract<ChallengeLookup, { ok: false }>,
  recordName: string,
): string {
  const found =
    lookup.reason === 'dns_lookup_failed'
      ? `The TXT lookup of ${recordName} failed (${lookup.dnsError}).`
      : lookup.reason === 'txt_record_not_found'
        ? `There is no TXT record at ${recordName}.`
        : `No TXT record at ${recordName} holds this domain's token.`;
  return (
    `${found} Publish a TXT record at ${recordName} whose value is the domain's ` +
    'verification.record_value, then verify again.'
  );
}
