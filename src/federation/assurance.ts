/**
 * Normalised assurance: what an org's IdP says about how a person signed in (OIDC `acr`
 * and `amr`; SAML AuthnContextClassRef and AuthenticatingAuthority), as one of Latchkey's
 * levels and RFC 8176 `amr` values, and whether that meets the org's policy
 * (docs/assurance.md has the default table and how a connection overrides it).
 */

import {
  ASSURANCE_LEVELS,
  DEFAULT_CONNECTION_ASSURANCE,
  type AssuranceLevel,
  type ConnectionAssurance,
} from '../connections/index.js';
import type { Queryable } from '../platform/db/index.js';
import { orgStore } from '../orgs/index.js';
import type { LoginAttempt } from './login-attempt.js';

export type { AssuranceLevel } from '../connections/index.js';

/** Latchkey's levels of assurance by name. */
export const LOA = {
  pwd: ASSURANCE_LEVELS[0],
  mfa: ASSURANCE_LEVELS[1],
  phr: ASSURANCE_LEVELS[2],
} as const;

const rank = (level: AssuranceLevel | null): number =>
  level === null ? 0 : ASSURANCE_LEVELS.indexOf(level) + 1;

export const isAssuranceLevel = (value: string): value is AssuranceLevel =>
  (ASSURANCE_LEVELS as readonly string[]).includes(value);

/** The stronger of two levels (null: nothing known). */
export const strongest = (a: AssuranceLevel | null, b: AssuranceLevel | null) =>
  rank(a) >= rank(b) ? a : b;

/** Whether `achieved` is at least `required` (nothing required: always). */
export const meetsLevel = (achieved: AssuranceLevel | null, required: AssuranceLevel | null) =>
  required === null || rank(achieved) >= rank(required);

/**
 * What the IdPs this field meets say, and what it means. A connection's own mapping
 * (settings.assurance.mapping) is read first, value by value; these are the fall-back.
 * An IdP that says nothing known (Google's OIDC, which sends neither acr nor amr; its
 * SAML `…ac:classes:unspecified`) proves no level: an org requiring MFA maps the value
 * its IdP does send, as the org's own attestation.
 */
export const DEFAULT_ASSURANCE_MAPPING: Readonly<Record<string, AssuranceLevel>> = {
  // Latchkey's own levels (the development IdPs, a Latchkey upstream).
  [LOA.pwd]: LOA.pwd,
  [LOA.mfa]: LOA.mfa,
  [LOA.phr]: LOA.phr,
  // RFC 8176 amr values (Okta, Entra ID, Auth0 and most OpenID Providers).
  pwd: LOA.pwd,
  pin: LOA.pwd,
  kba: LOA.pwd,
  mfa: LOA.mfa,
  hwk: LOA.phr,
  sc: LOA.phr,
  // Entra ID amr values beyond RFC 8176: FIDO2 key, Windows Hello (multi-factor).
  fido: LOA.phr,
  ngcmfa: LOA.mfa,
  // Okta acr values (Okta's "urn:okta:loa:2fa:any:ifpossible" proves nothing: left out).
  'urn:okta:loa:1fa:any': LOA.pwd,
  'urn:okta:loa:1fa:pwd': LOA.pwd,
  'urn:okta:loa:2fa:any': LOA.mfa,
  phr: LOA.phr,
  phrh: LOA.phr,
  // SAML 2.0 authentication context classes (SAML Authn Context §3.4).
  'urn:oasis:names:tc:SAML:2.0:ac:classes:Password': LOA.pwd,
  'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport': LOA.pwd,
  'urn:oasis:names:tc:SAML:2.0:ac:classes:Kerberos': LOA.pwd,
  'urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken': LOA.mfa,
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract': LOA.mfa,
  'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI': LOA.phr,
  // ADFS and Entra ID (SAML) after Azure MFA or another additional method.
  'http://schemas.microsoft.com/claims/multipleauthn': LOA.mfa,
  // REFEDS MFA profile (research and education federations, Shibboleth).
  'https://refeds.org/profile/mfa': LOA.mfa,
};

/**
 * RFC 8176 methods that are each a factor of their own kind: two of them together are
 * multi-factor (RFC 8176 §2 "mfa"), whatever each maps to alone.
 */
const FACTOR_KIND: Readonly<Record<string, string>> = {
  pwd: 'know',
  pin: 'know',
  kba: 'know',
  otp: 'have',
  sms: 'have',
  tel: 'have',
  hwk: 'have',
  swk: 'have',
  sc: 'have',
  face: 'are',
  fpt: 'are',
  iris: 'are',
  retina: 'are',
  vbm: 'are',
};

/** What the IdP said about the sign-in (any field may be absent). */
export interface UpstreamProof {
  /** OIDC `acr`, or SAML AuthnContextClassRef (each AuthnStatement's). */
  contexts: string[];
  /** OIDC `amr`. */
  methods: string[];
  /** SAML AuthenticatingAuthority. */
  authorities?: string[];
}

/** The normalised proof a session keeps. */
export interface Assurance {
  /** The level proven, or null when nothing the IdP said is known. */
  acr: AssuranceLevel | null;
  /** RFC 8176 methods: the IdP's own, "mfa" added when a multi-factor level was proven. */
  amr: string[];
}

const AMR_VALUE = /^[a-z]{2,16}$/;

/**
 * The level an IdP's proof stands for: the strongest its values map to (the connection's
 * mapping first, then the defaults), and at least MFA when its amr lists two kinds of
 * factor. amr: the IdP's methods as asserted, with "mfa" when a multi-factor level was
 * proven; none asserted: the level's own ("pwd", "mfa"), else "fed" (federated).
 */
export function assuranceOf(
  proof: UpstreamProof,
  mapping: Readonly<Record<string, AssuranceLevel>> = {},
): Assurance {
  const levelOf = (value: string): AssuranceLevel | null =>
    mapping[value] ?? DEFAULT_ASSURANCE_MAPPING[value] ?? null;
  let acr: AssuranceLevel | null = null;
  for (const value of [...proof.contexts, ...proof.methods, ...(proof.authorities ?? [])])
    acr = strongest(acr, levelOf(value));
  const kinds = new Set(proof.methods.map((m) => FACTOR_KIND[m]).filter(Boolean));
  if (kinds.size >= 2) acr = strongest(acr, LOA.mfa);

  const asserted = [...new Set(proof.methods.filter((m) => AMR_VALUE.test(m)))];
  const multiFactor = rank(acr) >= rank(LOA.mfa);
  if (multiFactor && !asserted.includes('mfa')) asserted.push('mfa');
  if (asserted.length) return { acr, amr: asserted };
  return { acr, amr: acr === LOA.pwd ? ['pwd'] : multiFactor ? ['mfa'] : ['fed'] };
}

/** An org's sign-in policy (org settings requireMfa, requirePhishingResistant). */
export interface AssurancePolicy {
  requireMfa: boolean;
  requirePhishingResistant: boolean;
}

/** The level an org's policy requires of every sign-in, or null. */
export const requiredLevel = (policy: AssurancePolicy): AssuranceLevel | null =>
  policy.requirePhishingResistant ? LOA.phr : policy.requireMfa ? LOA.mfa : null;

/**
 * What to ask the IdP for so that a level is proven (OIDC acr_values, SAML
 * RequestedAuthnContext): the connection's configured values for that level, or for a
 * stronger one; none configured: nothing is asked (an IdP may refuse values it does not
 * know), and the answer is still checked.
 */
export function valuesToRequest(
  request: ConnectionAssurance['request'],
  level: AssuranceLevel | null,
): string[] {
  if (level === null || level === LOA.pwd) return [];
  if (level === LOA.mfa) return request.mfa?.length ? request.mfa : (request.phr ?? []);
  return request.phr ?? [];
}

/** A connection's assurance settings (rows stored before they existed: the defaults). */
export const connectionAssurance = (settings: { assurance?: ConnectionAssurance }) =>
  settings.assurance ?? DEFAULT_CONNECTION_ASSURANCE;

/** What a verified login proved of how the person signed in, as its checks need it. */
export interface ProvenLogin {
  proof: UpstreamProof;
  connection: { assurance?: ConnectionAssurance };
  /** The level asked when the sign-in began (the login transaction's), if any. */
  asked?: AssuranceLevel | null;
}

/**
 * What a verified login proved, the level it had to prove (the org's policy, or the
 * stronger one asked when it began) and whether it did: the verdict a sign-in is refused
 * on (assuranceChecked) and a test sign-in reports (connection-tests/test-login.ts).
 */
export function assuranceVerdict(
  login: ProvenLogin,
  policy: AssurancePolicy | null,
): Assurance & { required: AssuranceLevel | null; sufficient: boolean } {
  const assurance = assuranceOf(login.proof, connectionAssurance(login.connection).mapping);
  const required = strongest(policy ? requiredLevel(policy) : null, login.asked ?? null);
  return { ...assurance, required, sufficient: meetsLevel(assurance.acr, required) };
}

/**
 * The assurance a verified login proved, or its attempt fails with assurance_insufficient
 * when that falls short of the org's policy (an IdP that said nothing known proves
 * nothing: a SAML response without AuthnContextClassRef is refused, not assumed).
 */
export async function assuranceChecked(
  login: ProvenLogin,
  policy: AssurancePolicy,
  attempt: Pick<LoginAttempt, 'fail'>,
): Promise<Assurance> {
  const { acr, amr, sufficient } = assuranceVerdict(login, policy);
  const assurance: Assurance = { acr, amr };
  if (!sufficient) {
    return attempt.fail(
      'assurance_insufficient',
      'Your organization requires a stronger sign-in than your company sign-in service reported.',
    );
  }
  return assurance;
}

/**
 * The level an application asked the sign-in for: the `lk_acr` the authorization endpoint
 * puts on the request it returns to (tokens/authorize-checks.ts checkSession), or null.
 * Anyone can add it to a return target: it only ever asks for a stronger sign-in.
 */
export function levelAskedIn(returnTo: string): AssuranceLevel | null {
  let asked: string | null;
  try {
    asked = new URL(returnTo, 'https://return.invalid').searchParams.get('lk_acr');
  } catch {
    return null;
  }
  return asked !== null && isAssuranceLevel(asked) ? asked : null;
}

/**
 * Whether the authorization request a login returns to forces a fresh sign-in: it carries
 * the marker of prompt=login or a too-old session (tokens/authorize-checks.ts
 * `lk_auth_after`; its signature is checked there, its presence is enough here).
 */
export function reauthenticationAskedIn(returnTo: string): boolean {
  try {
    return new URL(returnTo, 'https://return.invalid').searchParams.has('lk_auth_after');
  } catch {
    return false;
  }
}

/** The level a sign-in at this org must prove: its policy's, or the stronger one asked. */
export async function signInLevel(
  db: Queryable,
  orgId: string,
  asked: AssuranceLevel | null,
): Promise<AssuranceLevel | null> {
  const org = await orgStore(db).get(orgId);
  return strongest(org ? requiredLevel(org.settings) : null, asked);
}
