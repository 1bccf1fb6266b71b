import { z } from 'zod';
import { changeSet, type AuditLog, type RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { uuidv7 } from '../platform/ids.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import { orgStore, type Org, type OrgSettings, type OrgUpdate } from './org-store.js';
import {
  actorOf,
  assertOrgAccess,
  assertPlatformAdmin,
  notFound,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import { staleWrite } from '../platform/admin/index.js';

/** Ends sessions; implemented by the sessions domain and wired in app.ts. */
export interface SessionTerminator {
  endAllForOrg(orgId: string, reason: string): Promise<number>;
  endAllForUser(orgId: string, userId: string, reason: string): Promise<number>;
}

export const DEFAULT_ORG_SETTINGS: OrgSettings = {
  sessionIdleTimeoutSeconds: 3600,
  sessionAbsoluteLifetimeSeconds: 43_200,
  maxSessionsPerUser: 10,
  requireVerifiedEmail: true,
  auditIp: 'full',
  auditRetentionDays: 365,
};

const settingsFields = {
  session_idle_timeout_seconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400),
  session_absolute_lifetime_seconds: z
    .number()
    .int()
    .min(300)
    .max(90 * 86_400),
  max_sessions_per_user: z.number().int().min(1).max(1000),
  require_verified_email: z.boolean(),
  audit_ip: z.enum(['full', 'truncated', 'none']),
  audit_retention_days: z.number().int().min(1).max(3650),
};

const slug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be 1-63 lower-case letters, digits or inner hyphens',
  );
const name = z.string().trim().min(1).max(200);

const idleWithinAbsolute = (s: {
  session_idle_timeout_seconds?: number;
  session_absolute_lifetime_seconds?: number;
}) =>
  s.session_idle_timeout_seconds === undefined ||
  s.session_absolute_lifetime_seconds === undefined ||
  s.session_idle_timeout_seconds <= s.session_absolute_lifetime_seconds;

const idleMessage = {
  message: 'must not exceed session_absolute_lifetime_seconds',
  path: ['settings', 'session_idle_timeout_seconds'],
};

export const CreateOrgBody = z
  .strictObject({
    slug,
    name,
    settings: z.strictObject(settingsFields).partial().optional(),
  })
  .refine((b) => idleWithinAbsolute(b.settings ?? {}), idleMessage);

export const UpdateOrgBody = z
  .strictObject({
    name: name.optional(),
    settings: z.strictObject(settingsFields).partial().optional(),
  })
  .refine((b) => idleWithinAbsolute(b.settings ?? {}), idleMessage);

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

/** The audit view of an org: flat, so a change set names exactly what changed. */
const auditView = (org: Org) => ({
  slug: org.slug,
  name: org.name,
  status: org.status,
  ...org.settings,
});

export function createOrgService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  sessions: SessionTerminator;
  /** Told once an org is disabled (its API keys' cached verifications go at once). */
  onDisabled?: (orgId: string) => void;
}): OrgService {
  const { db, audit, clock } = deps;

  const load = async (orgId: string, principal: AdminPrincipal) => {
    assertOrgAccess(principal, orgId);
    const org = await orgStore(db).get(orgId);
    if (!org) throw notFound('org');
    return org;
  };

  return {
    async create(body, principal, context) {
      assertPlatformAdmin(principal);
      const input = parseInput(CreateOrgBody, body);
      const now = clock.now();
      const org: Org = {
        id: uuidv7(now.getTime()),
        slug: input.slug,
        name: input.name,
        status: 'active',
        settings: {
          sessionIdleTimeoutSeconds:
            input.settings?.session_idle_timeout_seconds ??
            DEFAULT_ORG_SETTINGS.sessionIdleTimeoutSeconds,
          sessionAbsoluteLifetimeSeconds:
            input.settings?.session_absolute_lifetime_seconds ??
            DEFAULT_ORG_SETTINGS.sessionAbsoluteLifetimeSeconds,
          maxSessionsPerUser:
            input.settings?.max_sessions_per_user ?? DEFAULT_ORG_SETTINGS.maxSessionsPerUser,
          requireVerifiedEmail:
            input.settings?.require_verified_email ?? DEFAULT_ORG_SETTINGS.requireVerifiedEmail,
          auditIp: input.settings?.audit_ip ?? DEFAULT_ORG_SETTINGS.auditIp,
          auditRetentionDays:
            input.settings?.audit_retention_days ?? DEFAULT_ORG_SETTINGS.auditRetentionDays,
        },
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      if (org.settings.sessionIdleTimeoutSeconds > org.settings.sessionAbsoluteLifetimeSeconds) {
        throw new AppError('validation_failed', 'The request body is invalid.', {
          fields: [{ field: 'settings.session_idle_timeout_seconds', ...idleMessage }],
        });
      }
      await db.transaction(async (tx) => {
        if (await orgStore(tx).getBySlug(org.slug)) {
          throw new AppError('org_slug_taken', `An org with slug "${org.slug}" exists.`, {
            status: 409,
            fields: [{ field: 'slug', message: 'is taken' }],
          });
        }
        await orgStore(tx).insert(org);
        await audit.record(tx, {
          type: 'admin.org.created',
          orgId: org.id,
          actor: actorOf(principal),
          target: { type: 'org', id: org.id },
          context,
          data: changeSet(null, auditView(org)),
        });
      });
      return org;
    },

    async list(principal, page) {
      const onlyId = principal.scope === 'org:admin' ? principal.orgId : undefined;
      return toPage(await orgStore(db).list(page, onlyId), page, (org) => org.id);
    },

    get: load,

    async update(orgId, body, expected, principal, context) {
      const input = parseInput(UpdateOrgBody, body);
      const before = await load(orgId, principal);
      // The audit trail's settings are the platform's: an org key (a stolen one, say) must
      // not shorten the retention of, or blind, the trail that records what it does.
      if (
        principal.scope !== 'platform:admin' &&
        (input.settings?.audit_ip !== undefined ||
          input.settings?.audit_retention_days !== undefined)
      ) {
        throw new AppError(
          'insufficient_scope',
          'settings.audit_ip and settings.audit_retention_days need a platform:admin API key.',
          { status: 403 },
        );
      }
      const changes: OrgUpdate = {
        name: input.name,
        sessionIdleTimeoutSeconds: input.settings?.session_idle_timeout_seconds,
        sessionAbsoluteLifetimeSeconds: input.settings?.session_absolute_lifetime_seconds,
        maxSessionsPerUser: input.settings?.max_sessions_per_user,
        requireVerifiedEmail: input.settings?.require_verified_email,
        auditIp: input.settings?.audit_ip,
        auditRetentionDays: input.settings?.audit_retention_days,
      };
      const idle = changes.sessionIdleTimeoutSeconds ?? before.settings.sessionIdleTimeoutSeconds;
      const absolute =
        changes.sessionAbsoluteLifetimeSeconds ?? before.settings.sessionAbsoluteLifetimeSeconds;
      if (idle > absolute) {
        throw new AppError('validation_failed', 'The request body is invalid.', {
          fields: [{ field: 'settings.session_idle_timeout_seconds', ...idleMessage }],
        });
      }
      return db.transaction(async (tx) => {
        const result = await orgStore(tx).update(
          orgId,
          changes,
          clock.now(),
          expected ?? before.version,
        );
        if (!result.ok) throw result.reason === 'stale' ? staleWrite() : notFound('org');
        await audit.record(tx, {
          type: 'admin.org.updated',
          orgId,
          actor: actorOf(principal),
          target: { type: 'org', id: orgId },
          context,
          data: changeSet(auditView(before), auditView(result.value)),
        });
        return result.value;
      });
    },

    async remove(orgId, expected, principal, context) {
      const before = await load(orgId, principal);
      assertPlatformAdmin(principal);
      if (expected !== null && expected !== before.version) throw staleWrite();
      await db.transaction(async (tx) => {
        const result = await orgStore(tx).update(
          orgId,
          { status: 'disabled' },
          clock.now(),
          expected,
        );
        if (!result.ok) throw result.reason === 'stale' ? staleWrite() : notFound('org');
        await audit.record(tx, {
          type: 'admin.org.deleted',
          orgId,
          actor: actorOf(principal),
          target: { type: 'org', id: orgId },
          context,
          data: changeSet(auditView(before), auditView(result.value)),
        });
      });
      deps.onDisabled?.(orgId);
      await deps.sessions.endAllForOrg(orgId, 'org_deleted');
    },
  };
}
