import { oauthError } from './oauth-errors.js';
import { single, type Params } from './params.js';

/**
 * The authentication context classes Latchkey's provider knows, weakest first: the levels
 * of assurance a sign-in proves (docs/assurance.md; the same list as
 * connections' ASSURANCE_LEVELS, pinned equal by test/tokens/acr-request.test.ts).
 */
export const ACR_VALUES_SUPPORTED = [
  'urn:latchkey:loa:pwd',
  'urn:latchkey:loa:mfa',
  'urn:latchkey:loa:phr',
] as const;

const rankOf = (acr: string | null | undefined) =>
  (ACR_VALUES_SUPPORTED as readonly string[]).indexOf(acr ?? '');

/** Whether a session's acr satisfies the level asked (nothing asked: always). */
export const acrSatisfies = (sessionAcr: string | null, asked: string | null | undefined) =>
  !asked || rankOf(sessionAcr) >= rankOf(asked);

/** The `acr` member of the claims parameter's id_token (OIDC Core §5.5.1), if any. */
function essentialAcrOf(params: Params): { essential: boolean; values: string[] } | null {
  const claims = single(params, 'claims');
  if (claims === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    throw oauthError('invalid_request', 'claims must be a JSON object.');
  }
  const acr = (parsed as { id_token?: { acr?: unknown } } | null)?.id_token?.acr;
  if (acr === null || typeof acr !== 'object') return null;
  const { essential, value, values } = acr as Record<string, unknown>;
  const listed = [
    ...(typeof value === 'string' ? [value] : []),
    ...(Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : []),
  ];
  return { essential: essential === true, values: listed };
}

/**
 * The level an authorization request asks the sign-in to prove: the weakest known value
 * of the essential acr claim (OIDC Core §5.5.1.1), else of `acr_values` (§3.1.2.1, any of
 * them satisfies the client), else of the client's registered default_acr_values
 * (OIDC Registration §2); null when none is known. Unknown values are ignored (voluntary
 * claims), unless the claim is essential and names only unknown ones.
 * Refuses: invalid_request, unmet_authentication_requirements.
 */
export function requestedAcr(params: Params, clientDefaults: readonly string[]): string | null {
  const weakestKnown = (values: readonly string[]) =>
    ACR_VALUES_SUPPORTED.find((known) => values.includes(known)) ?? null;
  const claim = essentialAcrOf(params);
  if (claim?.essential && claim.values.length) {
    const level = weakestKnown(claim.values);
    if (!level)
      throw oauthError(
        'unmet_authentication_requirements',
        `No essential acr value is supported: ${claim.values.join(' ').slice(0, 200)}`,
      );
    return level;
  }
  const asked = (single(params, 'acr_values') ?? '').split(' ').filter(Boolean);
  return (
    weakestKnown([...asked, ...(claim?.values ?? [])]) ??
    (asked.length ? null : weakestKnown(clientDefaults))
  );
}
