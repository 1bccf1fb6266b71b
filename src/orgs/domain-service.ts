import { z } from 'zod';
import { changeSet, type AuditLog, type RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { randomToken, uuidv7 } from '../platform/ids.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  actorOf,
  assertOrgAccess,
  assertOrgVisible,
  assertPlatformAdmin,
  notFound,
  staleWrite,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import { normaliseDomain } from './domain-name.js';
import { domainStore, type OrgDomain } from './domain-store.js';

export type { OrgDomain } from './domain-store.js';

/** Looks up TXT records (node:dns/promises resolveTxt in production; a local answer in tests). */
export type TxtResolver = (name: string) => Promise<string[][]>;

/** The DNS name whose TXT record proves control of a domain. */
export const challengeRecordName = (domain: string) => `_latchkey-challenge.${domain}`;

/** How long a TXT lookup may take before it counts as a failed verification. */
export const DEFAULT_DNS_TIMEOUT_MS = 5000;

export const AddDomainBody = z.strictObject({
  domain: z
    .string()
    .max(1024)
    .transform((value, ctx) => {
      const result = normaliseDomain(value);
      if (result.ok) return result.domain;
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    }),
});

const domainTaken = () =>
  new AppError(
    'domain_taken',
    'This domain is already claimed by this org, or verified by another org.',
    { status: 409, fields: [{ field: 'domain', message: 'is taken' }] },
  );

/** verify and attest take no input: an empty body or `{}`; anything else is refused. */
const NoBody = z.strictObject({}).optional();

/** The audit view of a domain: never the verification token. */
const auditView = (d: OrgDomain) => ({
  domain: d.domain,
  status: d.status,
  verification_method: d.verificationMethod,
  verified_at: d.verifiedAt?.toISOString() ?? null,
});

export interface DomainService {
  add(
    orgId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<OrgDomain>;
  list(orgId: string, principal: AdminPrincipal, page: PageRequest): Promise<Page<OrgDomain>>;
  get(orgId: string, domainId: string, principal: AdminPrincipal): Promise<OrgDomain>;
  remove(
    orgId: string,
    domainId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /** Checks the TXT record; a domain that is already verified is returned unchanged. */
  verify(
    orgId: string,
    domainId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<OrgDomain>;
  /** A platform admin vouches for the org's control of the domain (out-of-band proof). */
  attest(
    orgId: string,
    domainId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<OrgDomain>;
}

type Lookup =
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

export function createDomainService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  resolveTxt: TxtResolver;
  /** Upper bound on one TXT lookup (default 5 s); a slow resolver is a failed verification. */
  dnsTimeoutMs?: number;
}): DomainService {
  const { db, audit, clock, resolveTxt } = deps;
  const dnsTimeoutMs = deps.dnsTimeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;

  const find = (q: Queryable, orgId: string, domainId: string) =>
    domainStore(q).get(orgId, domainId);

  const load = async (orgId: string, domainId: string, principal: AdminPrincipal) => {
    assertOrgAccess(principal, orgId, 'domain');
    const found = await find(db, orgId, domainId);
    if (!found) throw notFound('domain');
    return found;
  };

  /** Whether a claim of the domain other than `exceptId` is verified (by any org). */
  const verifiedElsewhere = (q: Queryable, domain: string, exceptId: string | null) =>
    domainStore(q).verifiedElsewhere(domain, exceptId);

  /** Any TXT record (its chunks joined, RFC 7208 §3.3 style) equal to the token passes. */
  const lookUp = async (domain: OrgDomain): Promise<Lookup> => {
    let values: string[];
    try {
      const records: unknown = await withTimeout(
        Promise.resolve().then(() => resolveTxt(challengeRecordName(domain.domain))),
        dnsTimeoutMs,
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
  };

  /**
   * pending → verified, audited; a concurrent verification of the same claim that won is
   * returned as is. At most one claim of a domain is verified: the partial unique index
   * refuses a second, whichever org's verification commits last (409 domain_taken).
   */
  const markVerified = async (
    before: OrgDomain,
    method: 'dns' | 'attestation',
    principal: AdminPrincipal,
    context: RequestContext,
  ) => {
    try {
      return await markVerifiedOnce(before, method, principal, context);
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === '23505') throw domainTaken();
      throw error;
    }
  };

  const markVerifiedOnce = (
    before: OrgDomain,
    method: 'dns' | 'attestation',
    principal: AdminPrincipal,
    context: RequestContext,
  ) =>
    db.transaction(async (tx) => {
      const now = clock.now();
      const after = await domainStore(tx).markVerified(before.orgId, before.id, method, now);
      if (!after) {
        const current = await find(tx, before.orgId, before.id);
        if (!current) throw notFound('domain');
        return current;
      }
      await audit.record(tx, {
        type: method === 'dns' ? 'admin.domain.verified' : 'admin.domain.attested',
        orgId: before.orgId,
        actor: actorOf(principal),
        target: { type: 'domain', id: before.id },
        context,
        data: changeSet(auditView(before), auditView(after)),
      });
      return after;
    });

  return {
    async add(orgId, body, principal, context) {
      assertOrgAccess(principal, orgId);
      const input = parseInput(AddDomainBody, body);
      const now = clock.now();
      const id = uuidv7(now.getTime());
      // 32 random bytes: unguessable, so only someone who can read this API can publish it.
      const token = randomToken(32);
      return db.transaction(async (tx) => {
        await assertOrgVisible(tx, principal, orgId);
        // A pending claim reserves nothing (else anyone could squat on a domain by claiming
        // it first): only a verified one, of any org, refuses the domain to the others.
        if (await verifiedElsewhere(tx, input.domain, null)) throw domainTaken();
        // An org claims a domain once: UNIQUE (org_id, domain) decides races.
        const domain = await domainStore(tx).insertPending({
          id,
          orgId,
          domain: input.domain,
          verificationToken: token,
          at: now,
        });
        if (!domain) throw domainTaken();
        await audit.record(tx, {
          type: 'admin.domain.added',
          orgId,
          actor: actorOf(principal),
          target: { type: 'domain', id },
          context,
          data: changeSet(null, auditView(domain)),
        });
        return domain;
      });
    },

    async list(orgId, principal, page) {
      await assertOrgVisible(db, principal, orgId);
      const rows = await domainStore(db).list(orgId, page);
      return toPage(rows, page, (d) => d.id);
    },

    get: load,

    async remove(orgId, domainId, expected, principal, context) {
      const before = await load(orgId, domainId, principal);
      await db.transaction(async (tx) => {
        const deleted = await domainStore(tx).delete(orgId, domainId, expected);
        if (!deleted) throw (await find(tx, orgId, domainId)) ? staleWrite() : notFound('domain');
        await audit.record(tx, {
          type: 'admin.domain.removed',
          orgId,
          actor: actorOf(principal),
          target: { type: 'domain', id: domainId },
          context,
          data: changeSet(auditView(before), null),
        });
      });
    },

    async verify(orgId, domainId, body, principal, context) {
      const before = await load(orgId, domainId, principal);
      parseInput(NoBody, body);
      if (before.status === 'verified') return before;
      if (await verifiedElsewhere(db, before.domain, before.id)) throw domainTaken();
      const lookup = await lookUp(before);
      if (lookup.ok) return markVerified(before, 'dns', principal, context);

      const recordName = challengeRecordName(before.domain);
      // The failure is recorded in its own transaction, committed before the 422.
      await db.transaction((tx) =>
        audit.record(tx, {
          type: 'admin.domain.verification_failed',
          orgId,
          actor: actorOf(principal),
          target: { type: 'domain', id: domainId },
          outcome: 'failure',
          reason: lookup.reason,
          context,
          data: { domain: before.domain, record_name: recordName, dns_error: lookup.dnsError },
        }),
      );
      const found =
        lookup.reason === 'dns_lookup_failed'
          ? `The TXT lookup of ${recordName} failed (${lookup.dnsError}).`
          : lookup.reason === 'txt_record_not_found'
            ? `There is no TXT record at ${recordName}.`
            : `No TXT record at ${recordName} holds this domain's token.`;
      throw new AppError(
        'domain_verification_failed',
        `${found} Publish a TXT record at ${recordName} whose value is the domain's ` +
          'verification.record_value, then verify again.',
        { status: 422 },
      );
    },

    async attest(orgId, domainId, body, principal, context) {
      const before = await load(orgId, domainId, principal);
      assertPlatformAdmin(principal);
      parseInput(NoBody, body);
      if (before.status === 'verified') return before;
      if (await verifiedElsewhere(db, before.domain, before.id)) throw domainTaken();
      return markVerified(before, 'attestation', principal, context);
    },
  };
}

/**
 * The org whose employees log in with this email domain, for home-realm discovery: only
 * a verified domain of an active org routes logins; a pending one never does.
 */
export async function findVerifiedDomainOrg(
  db: Queryable,
  domain: string,
): Promise<{ orgId: string } | null> {
  const normalised = normaliseDomain(domain);
  if (!normalised.ok) return null;
  return domainStore(db).verifiedActiveOrg(normalised.domain);
}
