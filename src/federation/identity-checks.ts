import { AppError } from '../platform/errors.js';

/** The person an upstream IdP asserted, in Latchkey's terms. */
export interface MappedIdentity {
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  roles: string[] | undefined;
}

export interface IdentityContext {
  connectionOrgId: string;
  allowAnyEmailDomain: boolean;
  requireVerifiedEmail: boolean;
  /** The org whose verified domain this email's domain is, if any. */
  orgOfEmailDomain: (domain: string) => Promise<string | null>;
}

const refused = (reason: string, message: string) => new AppError(reason, message, { status: 403 });

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** The upstream subject must be there: with the connection, it is the user's identity. */
async function checkSubject(identity: MappedIdentity): Promise<void> {
  if (!identity.subject)
    throw refused('subject_missing', 'Your company sign-in did not say who you are.');
  return Promise.resolve();
}

async function checkEmail(identity: MappedIdentity): Promise<void> {
  if (!EMAIL.test(identity.email))
    throw refused('email_missing', 'Your company sign-in did not provide a usable email address.');
  return Promise.resolve();
}

/**
 * An IdP of org A can never sign someone into org B: the email's domain must be one of
 * the connection's org's verified domains, unless the connection explicitly allows any.
 */
async function checkEmailDomain(identity: MappedIdentity, ctx: IdentityContext): Promise<void> {
  if (ctx.allowAnyEmailDomain) return;
  const domain = identity.email.slice(identity.email.lastIndexOf('@') + 1);
  if ((await ctx.orgOfEmailDomain(domain)) !== ctx.connectionOrgId) {
    throw refused(
      'email_domain_not_allowed',
      "This email address does not belong to your organization's verified domains.",
    );
  }
}

/** When the org requires it, the IdP must assert email_verified: true (not a string, not absent). */
async function checkEmailVerified(identity: MappedIdentity, ctx: IdentityContext): Promise<void> {
  if (ctx.requireVerifiedEmail && identity.emailVerified !== true) {
    throw refused('email_not_verified', 'Your company sign-in did not confirm your email address.');
  }
  return Promise.resolve();
}

/** In order, each with the name a test sign-in reports it by; the first that fails stops the login. */
export const identityChecks = [
  { name: 'subject_present', check: checkSubject },
  { name: 'email_usable', check: checkEmail },
  { name: 'email_domain_allowed', check: checkEmailDomain },
  { name: 'email_verified', check: checkEmailVerified },
] as const;

export async function runIdentityChecks(
  identity: MappedIdentity,
  ctx: IdentityContext,
): Promise<void> {
  for (const { check } of identityChecks) await check(identity, ctx);
}

/**
 * Every identity check's verdict, none stopping the others (a test sign-in's report):
 * the reason code each failed one would have refused the login with.
 */
export async function identityCheckResults(
  identity: MappedIdentity,
  ctx: IdentityContext,
): Promise<{ name: string; passed: boolean; reason: string | null }[]> {
  const results = [];
  for (const { name, check } of identityChecks) {
    try {
      await check(identity, ctx);
      results.push({ name, passed: true, reason: null });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ name, passed: false, reason: error.code });
    }
  }
  return results;
}

/** OIDC claims → identity, through the connection's claim mapping and group → role mapping. */
export function mapOidcClaims(
  claims: Record<string, unknown>,
  mapping: { subject: string; email: string; emailVerified: string; name: string; groups: string },
  roleMapping: Record<string, string>,
): MappedIdentity {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const groups = claims[mapping.groups];
  const roles = Array.isArray(groups)
    ? [
        ...new Set(
          groups
            .filter((g): g is string => typeof g === 'string')
            .map((g) => roleMapping[g])
            .filter((r): r is string => !!r),
        ),
      ]
    : undefined;
  return {
    subject: text(claims[mapping.subject]),
    email: text(claims[mapping.email]).trim(),
    emailVerified: claims[mapping.emailVerified] === true,
    name: text(claims[mapping.name]) || null,
    roles: Object.keys(roleMapping).length ? (roles ?? []) : undefined,
  };
}

/**
 * The OIDC IdP's email_verified, as Latchkey keeps it: true only when the IdP says so and
 * the address is not in a domain that another org verified. That org's IdP is the
 * authority for its addresses, never this connection's (reachable with
 * allow_any_email_domain); an address of a domain no org verified keeps the IdP's word.
 */
export async function oidcEmailVerified(
  identity: Pick<MappedIdentity, 'email' | 'emailVerified'>,
  connectionOrgId: string,
  orgOfEmailDomain: (domain: string) => Promise<string | null>,
): Promise<boolean> {
  if (identity.emailVerified !== true) return false;
  const at = identity.email.lastIndexOf('@');
  if (at <= 0) return false;
  const owner = await orgOfEmailDomain(identity.email.slice(at + 1).toLowerCase());
  return owner === null || owner === connectionOrgId;
}
