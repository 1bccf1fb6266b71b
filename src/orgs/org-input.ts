import { z } from 'zod';
import { AppError } from '../platform/errors.js';
import type { OrgSettings, OrgUpdate } from './org-store.js';

/**
 * What an admin may send to create or change an org (strict zod schemas: unknown fields
 * are refused), and how a body becomes the org's settings.
 */

/** What an org gets for each setting its create body leaves out. */
export const DEFAULT_ORG_SETTINGS: OrgSettings = {
  sessionIdleTimeoutSeconds: 3600,
  sessionAbsoluteLifetimeSeconds: 43_200,
  maxSessionsPerUser: 10,
  requireVerifiedEmail: true,
  requireMfa: false,
  requirePhishingResistant: false,
  auditIp: 'full',
  auditRetentionDays: 365,
  loginStartsPerIpPerMinute: null,
  loginStartsPerMinute: null,
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
  require_mfa: z.boolean(),
  require_phishing_resistant: z.boolean(),
  audit_ip: z.enum(['full', 'truncated', 'none']),
  audit_retention_days: z.number().int().min(1).max(3650),
  // null: the deployment's configured limit (limits.loginStartPerOrgAndIp, loginStartPerOrg).
  login_starts_per_ip_per_minute: z.number().int().min(1).max(1_000_000).nullable(),
  login_starts_per_minute: z.number().int().min(1).max(10_000_000).nullable(),
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

type SettingsInput = z.infer<typeof CreateOrgBody>['settings'];

/**
 * The idle timeout must not exceed the absolute lifetime, also when only one of them is
 * sent (the other is then the default, or the org's current value).
 */
export function assertIdleWithinAbsolute(settings: {
  sessionIdleTimeoutSeconds: number;
  sessionAbsoluteLifetimeSeconds: number;
}): void {
  if (settings.sessionIdleTimeoutSeconds > settings.sessionAbsoluteLifetimeSeconds) {
    throw new AppError('validation_failed', 'The request body is invalid.', {
      fields: [{ field: 'settings.session_idle_timeout_seconds', ...idleMessage }],
    });
  }
}

/** A new org's settings: those sent, and the defaults for the rest. */
export const newOrgSettings = (settings: SettingsInput): OrgSettings => ({
  sessionIdleTimeoutSeconds:
    settings?.session_idle_timeout_seconds ?? DEFAULT_ORG_SETTINGS.sessionIdleTimeoutSeconds,
  sessionAbsoluteLifetimeSeconds:
    settings?.session_absolute_lifetime_seconds ??
    DEFAULT_ORG_SETTINGS.sessionAbsoluteLifetimeSeconds,
  maxSessionsPerUser: settings?.max_sessions_per_user ?? DEFAULT_ORG_SETTINGS.maxSessionsPerUser,
  requireVerifiedEmail:
    settings?.require_verified_email ?? DEFAULT_ORG_SETTINGS.requireVerifiedEmail,
  requireMfa: settings?.require_mfa ?? DEFAULT_ORG_SETTINGS.requireMfa,
  requirePhishingResistant:
    settings?.require_phishing_resistant ?? DEFAULT_ORG_SETTINGS.requirePhishingResistant,
  auditIp: settings?.audit_ip ?? DEFAULT_ORG_SETTINGS.auditIp,
  auditRetentionDays: settings?.audit_retention_days ?? DEFAULT_ORG_SETTINGS.auditRetentionDays,
  loginStartsPerIpPerMinute:
    settings?.login_starts_per_ip_per_minute ?? DEFAULT_ORG_SETTINGS.loginStartsPerIpPerMinute,
  loginStartsPerMinute:
    settings?.login_starts_per_minute ?? DEFAULT_ORG_SETTINGS.loginStartsPerMinute,
});

/** What an update body changes (undefined: left as it is; null: back to the default). */
export const orgChanges = (input: z.infer<typeof UpdateOrgBody>): OrgUpdate => ({
  name: input.name,
  sessionIdleTimeoutSeconds: input.settings?.session_idle_timeout_seconds,
  sessionAbsoluteLifetimeSeconds: input.settings?.session_absolute_lifetime_seconds,
  maxSessionsPerUser: input.settings?.max_sessions_per_user,
  requireVerifiedEmail: input.settings?.require_verified_email,
  requireMfa: input.settings?.require_mfa,
  requirePhishingResistant: input.settings?.require_phishing_resistant,
  auditIp: input.settings?.audit_ip,
  auditRetentionDays: input.settings?.audit_retention_days,
  loginStartsPerIpPerMinute: input.settings?.login_starts_per_ip_per_minute,
  loginStartsPerMinute: input.settings?.login_starts_per_minute,
});
