import samlify from 'samlify';

/**
 * How strongly the development SAML IdP signs a person in, and what an SP's
 * RequestedAuthnContext lets it do (SAML Core §3.3.2.2.1). It has two strengths: a
 * password (1), and a password and then a one-time code (2). It knows a few
 * authentication context classes by strength, those Latchkey's defaults map
 * (federation/assurance.ts, docs/assurance.md); a class it does not know is one it cannot
 * satisfy.
 */

export type DemoStrength = 1 | 2;

/** The classes the IdP names in its AuthnStatement when nothing asked for another. */
export const DEMO_SAML_CLASSES: Readonly<Record<DemoStrength, string>> = {
  1: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  2: 'https://refeds.org/profile/mfa',
};

/** The classes the IdP knows, by strength; any other is beyond what it can do. */
const STRENGTH_OF: Readonly<Record<string, DemoStrength>> = {
  'urn:oasis:names:tc:SAML:2.0:ac:classes:Password': 1,
  'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport': 1,
  'urn:latchkey:loa:pwd': 1,
  'https://refeds.org/profile/mfa': 2,
  'http://schemas.microsoft.com/claims/multipleauthn': 2,
  'urn:latchkey:loa:mfa': 2,
};

export type Comparison = 'exact' | 'minimum' | 'better' | 'maximum';

/** An AuthnRequest's RequestedAuthnContext (its AuthnContextClassRefs, in order). */
export interface AskedAuthnContext {
  comparison: Comparison;
  classRefs: string[];
}

const COMPARISONS: readonly string[] = ['exact', 'minimum', 'better', 'maximum'];

/**
 * The RequestedAuthnContext of an AuthnRequest's XML, or null when it has none. Comparison
 * defaults to exact (SAML Core §3.3.2.2.1); an unknown Comparison, or a context named by
 * AuthnContextDeclRef only, asks for what the IdP cannot know: no class it can satisfy.
 */
export function askedAuthnContextOf(requestXml: string): AskedAuthnContext | null {
  const found = samlify.Extractor.extract(requestXml, [
    {
      key: 'context',
      localPath: ['AuthnRequest', 'RequestedAuthnContext'],
      attributes: [],
      context: true,
    },
    {
      key: 'comparison',
      localPath: ['AuthnRequest', 'RequestedAuthnContext'],
      attributes: ['Comparison'],
    },
    {
      key: 'classRefs',
      localPath: ['AuthnRequest', 'RequestedAuthnContext', 'AuthnContextClassRef'],
      attributes: [],
    },
  ]) as { context?: unknown; comparison?: unknown; classRefs?: unknown };
  if (!found.context) return null;
  const comparison = typeof found.comparison === 'string' ? found.comparison : 'exact';
  const refs = Array.isArray(found.classRefs) ? found.classRefs : [found.classRefs];
  const classRefs = refs.filter((r): r is string => typeof r === 'string').map((r) => r.trim());
  if (!COMPARISONS.includes(comparison)) return { comparison: 'exact', classRefs: [] };
  return { comparison: comparison as Comparison, classRefs };
}

/**
 * The strengths that satisfy what was asked, weakest first (empty: the IdP cannot satisfy
 * it, and answers NoAuthnContext). Classes it does not know are left out of the
 * comparison; nothing known left means nothing satisfies.
 *
 * - nothing asked: either;
 * - exact: the strength of a class named;
 * - minimum: at least as strong as one named;
 * - better: stronger than every one named;
 * - maximum: as strong as possible without exceeding one named (with two strengths: the
 *   strongest named).
 */
export function strengthsFor(asked: AskedAuthnContext | null): DemoStrength[] {
  if (!asked) return [1, 2];
  const known = asked.classRefs.flatMap((ref) => STRENGTH_OF[ref] ?? []);
  if (known.length === 0) return [];
  const weakest = Math.min(...known);
  const strongest = Math.max(...known);
  const all: DemoStrength[] = [1, 2];
  switch (asked.comparison) {
    case 'exact':
      return all.filter((s) => known.includes(s));
    case 'minimum':
      return all.filter((s) => s >= weakest);
    case 'better':
      return all.filter((s) => s > strongest);
    case 'maximum':
      return all.filter((s) => s === strongest);
  }
}

/**
 * The AuthnContextClassRef the IdP names for a sign-in of this strength: the first class
 * asked of that strength (exact needs one named), else its own class for it.
 */
export function classRefFor(strength: DemoStrength, asked: AskedAuthnContext | null): string {
  return (
    asked?.classRefs.find((ref) => STRENGTH_OF[ref] === strength) ?? DEMO_SAML_CLASSES[strength]
  );
}
