// What an IT admin fixes at their IdP when a test sign-in fails (issue 18), by reason code:
// the login's own codes (docs/where-changes-go.md: never renamed). The end user's version
// of the same codes is error-advice.ts; this one speaks to the admin setting the
// connection up and names the values to check. The words are the page's language
// (catalogs/portal-ops); the console passes English.

import type { Translator } from '../i18n/translator.js';

/** The connection values a fix may name. */
export interface FixContext {
  protocol: 'oidc' | 'saml';
  /** SAML: the attribute the email is read from (the connection's attribute mapping). */
  emailAttribute: string | null;
  acsUrl: string | null;
  spEntityId: string | null;
  redirectUri: string | null;
}

type Fix = (text: Translator, c: FixContext) => string;

// A value the connection does not have (it is of the other protocol) is shown as a dash.
const value = (v: string | null) => v ?? '—';

const BY_CODE: Record<string, Fix> = {
  email_missing: ({ t }, c) =>
    c.protocol === 'saml'
      ? t('portal.test.fix.emailMissingSaml', { attribute: c.emailAttribute ?? 'email' })
      : t('portal.test.fix.emailMissingOidc'),
  subject_missing: ({ t }, c) =>
    c.protocol === 'saml'
      ? t('portal.test.fix.subjectMissingSaml')
      : t('portal.test.fix.subjectMissingOidc'),
  email_domain_not_allowed: ({ t }) => t('portal.test.fix.emailDomainNotAllowed'),
  email_not_verified: ({ t }) => t('portal.test.fix.emailNotVerified'),
  org_disabled: ({ t }) => t('portal.test.fix.orgDisabled'),
  idp_access_denied: ({ t }) => t('portal.test.fix.idpAccessDenied'),
  issuer_mismatch: ({ t }) => t('portal.test.fix.issuerMismatch'),
  saml_issuer_mismatch: ({ t }) => t('portal.test.fix.samlIssuerMismatch'),
  saml_audience_mismatch: ({ t }, c) =>
    t('portal.test.fix.samlAudienceMismatch', { url: value(c.spEntityId) }),
  audience_mismatch: ({ t }) => t('portal.test.fix.audienceMismatch'),
  saml_destination_mismatch: ({ t }, c) =>
    t('portal.test.fix.samlDestinationMismatch', { url: value(c.acsUrl) }),
  saml_recipient_mismatch: ({ t }, c) =>
    t('portal.test.fix.samlRecipientMismatch', { url: value(c.acsUrl) }),
  saml_signature_invalid: ({ t }) => t('portal.test.fix.samlSignatureInvalid'),
  saml_certificate_unknown: ({ t }) => t('portal.test.fix.samlCertificateUnknown'),
  saml_assertion_unsigned: ({ t }) => t('portal.test.fix.samlAssertionUnsigned'),
  saml_signature_algorithm_weak: ({ t }) => t('portal.test.fix.samlSignatureAlgorithmWeak'),
  saml_assertion_expired: ({ t }) => t('portal.test.fix.samlAssertionExpired'),
  saml_assertion_not_yet_valid: ({ t }) => t('portal.test.fix.samlAssertionNotYetValid'),
  saml_status_not_success: ({ t }) => t('portal.test.fix.samlStatusNotSuccess'),
  saml_no_authn_context: ({ t }) => t('portal.test.fix.samlNoAuthnContext'),
  assurance_insufficient: ({ t }) => t('portal.test.fix.assuranceInsufficient'),
  id_token_auth_time_too_old: ({ t }) => t('portal.test.fix.signInNotFresh'),
  saml_authn_instant_too_old: ({ t }) => t('portal.test.fix.signInNotFresh'),
  client_rejected: ({ t }) => t('portal.test.fix.clientRejected'),
  code_rejected: ({ t }, c) => t('portal.test.fix.codeRejected', { url: value(c.redirectUri) }),
  idp_unreachable: ({ t }) => t('portal.test.fix.idpUnreachable'),
};

/** What to fix at the IdP for a failed test's reason code; a generic pointer when none is known. */
export function fixFor(text: Translator, code: string, context: FixContext): string {
  const own = BY_CODE[code];
  if (own) return own(text, context);
  if (code.startsWith('id_token_')) return text.t('portal.test.fix.idToken');
  if (code.startsWith('saml_')) return text.t('portal.test.fix.saml');
  return text.t('portal.test.fix.other');
}
