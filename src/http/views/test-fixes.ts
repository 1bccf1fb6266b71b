// What an IT admin fixes at their IdP when a test sign-in fails (issue 18), by reason code:
// the login's own codes (docs/where-changes-go.md: never renamed). The end user's version
// of the same codes is error-advice.ts; this one speaks to the admin setting the
// connection up and names the values to check.

/** The connection values a fix may name. */
export interface FixContext {
  protocol: 'oidc' | 'saml';
  /** SAML: the attribute the email is read from (the connection's attribute mapping). */
  emailAttribute: string | null;
  acsUrl: string | null;
  spEntityId: string | null;
  redirectUri: string | null;
}

type Fix = (c: FixContext) => string;

const BY_CODE: Record<string, Fix> = {
  email_missing: (c) =>
    c.protocol === 'saml'
      ? `The IdP sent no usable email. Add an attribute statement named "${c.emailAttribute ?? 'email'}" whose value is the user's email address (or send the NameID in the emailAddress format).`
      : 'The IdP sent no usable email claim. Include the "email" scope and make sure the user has an email address at the IdP.',
  subject_missing: (c) =>
    c.protocol === 'saml'
      ? 'The IdP sent no usable NameID (a transient one changes at every sign-in). Send a persistent or emailAddress NameID.'
      : 'The ID token has no subject ("sub").',
  email_domain_not_allowed: () =>
    "The email's domain is not one of your organization's verified domains. Verify that domain in the Domain step, or sign in with an address in a verified domain.",
  email_not_verified: () =>
    'Your organization requires verified email addresses, and the IdP did not say this one is verified (OIDC: email_verified must be true).',
  org_disabled: () => 'Your organization is disabled: ask the platform team.',
  idp_access_denied: () =>
    'The sign-in was cancelled or refused at the IdP. Check that your account is assigned to the application there, then test again.',
  issuer_mismatch: () =>
    'The IdP answered with another issuer than the one configured: check the issuer URL exactly (including any trailing slash).',
  saml_issuer_mismatch: () =>
    "The response's Issuer is not the IdP entity id in the metadata: upload the metadata of this application again.",
  saml_audience_mismatch: (c) =>
    `The assertion's Audience must be exactly "${c.spEntityId ?? 'the SP entity id'}": set it as the application's SP entity id (Audience URI) at the IdP.`,
  audience_mismatch: () =>
    "The ID token's audience is not this connection's client id: check the client id.",
  saml_destination_mismatch: (c) =>
    `The response was sent for another address: set the ACS (reply) URL at the IdP to exactly "${c.acsUrl ?? 'the ACS URL'}".`,
  saml_recipient_mismatch: (c) =>
    `The assertion's Recipient must be exactly "${c.acsUrl ?? 'the ACS URL'}": set it as the ACS (reply) URL at the IdP.`,
  saml_signature_invalid: () =>
    "The signature did not verify with the IdP's certificate: the IdP may have rotated its signing certificate. Upload its current metadata again.",
  saml_certificate_unknown: () =>
    "The response was signed with a certificate the connection does not know: upload the IdP's current metadata.",
  saml_assertion_unsigned: () =>
    'The assertion must be signed: set the IdP to sign the assertion (or the response and the assertion).',
  saml_signature_algorithm_weak: () =>
    'The IdP signs with SHA-1: set it to RSA-SHA256 (or stronger).',
  saml_assertion_expired: () =>
    "The assertion had expired when it arrived: check the IdP server's clock.",
  saml_assertion_not_yet_valid: () =>
    "The assertion is not valid yet: check the IdP server's clock.",
  saml_status_not_success: () =>
    'The IdP answered with an error status: check that the user is assigned to the application at the IdP, and its logs.',
  saml_no_authn_context: () =>
    "The IdP answered that it cannot sign in as strongly as asked (RequestedAuthnContext): check the connection's assurance request against the classes the IdP offers, and that the IdP application has MFA set up.",
  client_rejected: () => 'The IdP refused the client id or secret: copy both again.',
  code_rejected: (c) =>
    `The IdP refused the authorization code: check that the redirect URI registered there is exactly "${c.redirectUri ?? 'the redirect URI'}" and the client secret is current.`,
  idp_unreachable: () =>
    'The IdP could not be reached from Latchkey: check the issuer or metadata URL.',
};

/** What to fix at the IdP for a failed test's reason code; a generic pointer when none is known. */
export function fixFor(code: string, context: FixContext): string {
  const own = BY_CODE[code];
  if (own) return own(context);
  if (code.startsWith('id_token_'))
    return "The IdP's ID token did not verify: check the issuer, the client id and the IdP's signing keys (JWKS).";
  if (code.startsWith('saml_'))
    return 'The SAML response did not pass its checks: upload the current metadata and compare the values above with the IdP application.';
  return 'Compare the values to enter at the IdP with its application, then test again.';
}
