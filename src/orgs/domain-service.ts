import type { AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import { isUniqueViolation, type Database, type Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { randomToken, uuidv7 } from '../platform/ids.js';
import { toPage } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  adminEvent,
  assertOrgAccess,
  assertOrgVisible,
  assertPlatformAdmin,
  notFound,
  refusalOf,
  type AdminPrincipal,
  type OrgResourceService,
} from '../platform/admin/index.js';
import { changeEvent } from './admin-event.js';
import {
  challengeRecordName,
  DEFAULT_DNS_TIMEOUT_MS,
  failedLookupDetail,
  lookUpChallenge,
  type TxtResolver,
} from './domain-challenge.js';
import { AddDomainBody, NoBody } from './domain-input.js';
import { normaliseDomain } from './domain-name.js';
import { domainStore, type OrgDomain } from './domain-store.js';
import { DOMAIN_AUDIT } from './domain-view.js';

export type { OrgDomain } from './domain-store.js';
/** domains.routes.ts reads challengeRecordName here. */
export { challengeRecordName } from './domain-challenge.js';

/** A claim's own action (verify, attest): no input, an empty body or `{}`. */
type ClaimAction = (
  orgId: string,
  domainId: string,
  body: unknown,
  principal: AdminPrincipal,
  context: RequestContext,
) => Promise<OrgDomain>;

/**
 * Reads and creates like any org-owned admin resource; a claim is never updated, it is
 * verified or attested, or removed.
 */
export interface DomainService extends Pick<OrgResourceService<OrgDomain>, 'list' | 'get'> {
  add: OrgResourceService<OrgDomain>['create'];
  remove(
    orgId: string,
    domainId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /** Checks the TXT record; a domain that is already verified is returned unchanged. */
  verify: ClaimAction;
  /** A platform admin vouches for the org's control of the domain (out-of-band proof). */
  attest: ClaimAction;
}

interface DomainDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
}

const domainTaken = () =>
  new AppError(
    'domain_taken',
    'This domain is already claimed by this org, or verified by another org.',
    { status: 409, fields: [{ field: 'domain', message: 'is taken' }] },
  );

const find = (q: Queryable, orgId: string, domainId: string) => domainStore(q).get(orgId, domainId);

/** Whether a claim of the domain other than `exceptId` is verified (by any org). */
const verifiedElsewhere = (q: Queryable, domain: string, exceptId: string | null) =>
  domainStore(q).verifiedElsewhere(domain, exceptId);

async function addDomain(
  { db, audit, clock }: DomainDeps,
  orgId: string,
  body: unknown,
  principal: AdminPrincipal,
  context: RequestContext,
) {
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
    await audit.record(
      tx,
      changeEvent(DOMAIN_AUDIT, 'admin.domain.added', principal, context, null, domain),
    );
    return domain;
  });
}

/**
 * pending → verified, audited; a concurrent verification of the same claim that won is
 * returned as is. At most one claim of a domain is verified: the partial unique index
 * refuses a second, whichever org's verification commits last (409 domain_taken).
 */
async function markVerified(
  deps: DomainDeps,
  before: OrgDomain,
  method: 'dns' | 'attestation',
  principal: AdminPrincipal,
  context: RequestContext,
) {
  try {
    return await markVerifiedOnce(deps, before, method, principal, context);
  } catch (error) {
    if (isUniqueViolation(error)) throw domainTaken();
    throw error;
  }
}

const markVerifiedOnce = (
  { db, audit, clock }: DomainDeps,
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
    const type = method === 'dns' ? 'admin.domain.verified' : 'admin.domain.attested';
    await audit.record(tx, changeEvent(DOMAIN_AUDIT, type, principal, context, before, after));
    return after;
  });

/** Verifies by the TXT record, or records the failure (committed) and refuses with a 422. */
async function verifyByDns(
  deps: DomainDeps & {
    resolveTxt: TxtResolver;
    dnsTimeoutMs: number;
    limitVerification?: (domainId: string, orgId: string) => Promise<void>;
  },
  before: OrgDomain,
  principal: AdminPrincipal,
  context: RequestContext,
) {
  // Counted per claim, after the caller's access to it was checked: nobody can spend
  // another org's attempts.
  await deps.limitVerification?.(before.id, before.orgId);
  const lookup = await lookUpChallenge(deps.resolveTxt, deps.dnsTimeoutMs, before);
  if (lookup.ok) return markVerified(deps, before, 'dns', principal, context);

  const recordName = challengeRecordName(before.domain);
  // The failure is recorded in its own transaction, committed before the 422.
  await deps.db.transaction((tx) =>
    deps.audit.record(
      tx,
      adminEvent(principal, context, {
        type: 'admin.domain.verification_failed',
        orgId: before.orgId,
        target: { type: 'domain', id: before.id },
        outcome: 'failure',
        reason: lookup.reason,
        data: { domain: before.domain, record_name: recordName, dns_error: lookup.dnsError },
      }),
    ),
  );
  throw new AppError('domain_verification_failed', failedLookupDetail(lookup, recordName), {
    status: 422,
  });
}

export function createDomainService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  resolveTxt: TxtResolver;
  /** Upper bound on one TXT lookup (default 5 s); a slow resolver is a failed verification. */
  dnsTimeoutMs?: number;
  /** Spends one of the claim's DNS verification attempts (limits.domainVerificationPerDomain). */
  limitVerification?: (domainId: string, orgId: string) => Promise<void>;
}): DomainService {
  const { db, audit } = deps;
  const dns = { ...deps, dnsTimeoutMs: deps.dnsTimeoutMs ?? DEFAULT_DNS_TIMEOUT_MS };

  const load = async (orgId: string, domainId: string, principal: AdminPrincipal) => {
    assertOrgAccess(principal, orgId, 'domain');
    const found = await find(db, orgId, domainId);
    if (!found) throw notFound('domain');
    return found;
  };

  /**
   * verify and attest alike: a verified claim is returned as it is, and none is verified
   * while another claim of its domain is.
   */
  const claimAction =
    (
      allowed: (principal: AdminPrincipal) => void,
      markVerifiedBy: (
        before: OrgDomain,
        principal: AdminPrincipal,
        context: RequestContext,
      ) => Promise<OrgDomain>,
    ): ClaimAction =>
    async (orgId, domainId, body, principal, context) => {
      const before = await load(orgId, domainId, principal);
      allowed(principal);
      parseInput(NoBody, body);
      if (before.status === 'verified') return before;
      if (await verifiedElsewhere(db, before.domain, before.id)) throw domainTaken();
      return markVerifiedBy(before, principal, context);
    };

  return {
    add: (orgId, body, principal, context) => addDomain(deps, orgId, body, principal, context),

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
        if (!deleted) throw await refusalOf('domain', () => find(tx, orgId, domainId));
        await audit.record(
          tx,
          changeEvent(DOMAIN_AUDIT, 'admin.domain.removed', principal, context, before, null),
        );
      });
    },

    verify: claimAction(
      () => {},
      (before, principal, context) => verifyByDns(dns, before, principal, context),
    ),

    attest: claimAction(assertPlatformAdmin, (before, principal, context) =>
      markVerified(deps, before, 'attestation', principal, context),
    ),
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
