import type { AuditEventType, AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { uuidv7 } from '../platform/ids.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import { orgStore, type Org, type OrgUpdate } from './org-store.js';
import {
  assertOrgAccess,
  assertPlatformAdmin,
  notFound,
  staleWrite,
  written,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import { changeEvent } from './admin-event.js';
import {
  assertIdleWithinAbsolute,
  CreateOrgBody,
  newOrgSettings,
  orgChanges,
  UpdateOrgBody,
} from './org-input.js';
import { ORG_AUDIT } from './org-view.js';

/** Ends sessions; implemented by the sessions domain and wired in app.ts. */
export interface SessionTerminator {
  endAllForOrg(orgId: string, reason: string): Promise<number>;
  endAllForUser(orgId: string, userId: string, reason: string): Promise<number>;
}

export interface OrgService {
  create(body: unknown, principal: AdminPrincipal, context: RequestContext): Promise<Org>;
  list(principal: AdminPrincipal, page: PageRequest): Promise<Page<Org>>;
  get(orgId: string, principal: AdminPrincipal): Promise<Org>;
  update(
    orgId: string,
    body: unknown,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Org>;
  /** Disables the org and ends every session in it; its audit trail stays. */
  remove(
    orgId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
}

interface OrgDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
}

async function createOrg(
  { db, audit, clock }: OrgDeps,
  body: unknown,
  principal: AdminPrincipal,
  context: RequestContext,
): Promise<Org> {
  assertPlatformAdmin(principal);
  const input = parseInput(CreateOrgBody, body);
  const now = clock.now();
  const org: Org = {
    id: uuidv7(now.getTime()),
    slug: input.slug,
    name: input.name,
    status: 'active',
    settings: newOrgSettings(input.settings),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  assertIdleWithinAbsolute(org.settings);
  await db.transaction(async (tx) => {
    if (await orgStore(tx).getBySlug(org.slug)) {
      throw new AppError('org_slug_taken', `An org with slug "${org.slug}" exists.`, {
        status: 409,
        fields: [{ field: 'slug', message: 'is taken' }],
      });
    }
    await orgStore(tx).insert(org);
    await audit.record(
      tx,
      changeEvent(ORG_AUDIT, 'admin.org.created', principal, context, null, org),
    );
  });
  return org;
}

/**
 * Settings only a platform admin may change (see update), by field: the audit trail's, and
 * the sign-in rate limits.
 */
const PLATFORM_SETTINGS: Array<{ fields: Array<keyof OrgUpdate>; names: string }> = [
  {
    fields: ['auditIp', 'auditRetentionDays'],
    names: 'settings.audit_ip and settings.audit_retention_days',
  },
  {
    fields: ['loginStartsPerIpPerMinute', 'loginStartsPerMinute'],
    names: 'settings.login_starts_per_ip_per_minute and settings.login_starts_per_minute',
  },
];

const refusePlatformSettingsChange = (principal: AdminPrincipal, changes: OrgUpdate) => {
  if (principal.scope === 'platform:admin') return;
  const touched = PLATFORM_SETTINGS.find((group) =>
    group.fields.some((field) => changes[field] !== undefined),
  );
  if (touched)
    throw new AppError('insufficient_scope', `${touched.names} need a platform:admin API key.`, {
      status: 403,
    });
};

export function createOrgService(
  deps: OrgDeps & {
    sessions: SessionTerminator;
    /** Told once an org is disabled (its API keys' cached verifications go at once). */
    onDisabled?: (orgId: string) => void;
  },
): OrgService {
  const { db, audit, clock } = deps;

  const load = async (orgId: string, principal: AdminPrincipal) => {
    assertOrgAccess(principal, orgId);
    const org = await orgStore(db).get(orgId);
    if (!org) throw notFound('org');
    return org;
  };

  /** A versioned write of the org (null: any version), audited as `type`. */
  const write = (
    before: Org,
    changes: OrgUpdate,
    version: number | null,
    type: AuditEventType,
    principal: AdminPrincipal,
    context: RequestContext,
  ) =>
    db.transaction(async (tx) => {
      const result = await orgStore(tx).update(before.id, changes, clock.now(), version);
      const after = written(result, 'org');
      await audit.record(tx, changeEvent(ORG_AUDIT, type, principal, context, before, after));
      return after;
    });

  return {
    create: (body, principal, context) => createOrg(deps, body, principal, context),

    async list(principal, page) {
      const onlyId = principal.scope === 'org:admin' ? principal.orgId : undefined;
      return toPage(await orgStore(db).list(page, onlyId), page, (org) => org.id);
    },

    get: load,

    async update(orgId, body, expected, principal, context) {
      const input = parseInput(UpdateOrgBody, body);
      const before = await load(orgId, principal);
      const changes = orgChanges(input);
      // The audit trail's settings are the platform's: an org key (a stolen one, say) must
      // not shorten the retention of, or blind, the trail that records what it does. The
      // sign-in limits bound the load an org puts on shared infrastructure (the IdP
      // redirects, Redis, the database): raising them is the platform's decision too.
      refusePlatformSettingsChange(principal, changes);
      assertIdleWithinAbsolute({
        sessionIdleTimeoutSeconds:
          changes.sessionIdleTimeoutSeconds ?? before.settings.sessionIdleTimeoutSeconds,
        sessionAbsoluteLifetimeSeconds:
          changes.sessionAbsoluteLifetimeSeconds ?? before.settings.sessionAbsoluteLifetimeSeconds,
      });
      const version = expected ?? before.version;
      return write(before, changes, version, 'admin.org.updated', principal, context);
    },

    async remove(orgId, expected, principal, context) {
      const before = await load(orgId, principal);
      assertPlatformAdmin(principal);
      if (expected !== null && expected !== before.version) throw staleWrite();
      const disabled = { status: 'disabled' } as const;
      await write(before, disabled, expected, 'admin.org.deleted', principal, context);
      deps.onDisabled?.(orgId);
      await deps.sessions.endAllForOrg(orgId, 'org_deleted');
    },
  };
}
