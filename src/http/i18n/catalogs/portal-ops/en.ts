/**
 * English messages of the setup portal's test sign-in report, Directory sync, Audit log and Sessions steps: a part of the source catalog (../en.ts spreads it in).
 * Keys are `portal.*`; every other locale's part has exactly these keys.
 */
export const portalOpsEn = {
  'portal.ops.allSteps': '← All steps',

  // The test sign-in report (portal-test-pages.ts; the console shows it in English).
  'portal.test.passedTitle': 'Test sign-in passed',
  'portal.test.failedTitle': 'Test sign-in failed',
  'portal.test.pendingTitle': 'Test sign-in not finished',
  'portal.test.reason': 'Reason:',
  'portal.test.pending':
    'No answer from the IdP yet. Finish the sign-in in the tab that opened, or test again.',
  'portal.test.wouldSucceed': 'A sign-in through this connection would succeed.',
  'portal.test.received': 'What came back',
  'portal.test.subject': 'Subject (sub)',
  'portal.test.nameIdFormat': 'NameID format',
  'portal.test.email': 'Email',
  'portal.test.emailVerified': 'Email verified',
  'portal.test.yes': 'yes',
  'portal.test.no': 'no',
  'portal.test.displayName': 'Display name',
  'portal.test.groups': 'Groups',
  'portal.test.roles': 'Roles in Latchkey',
  'portal.test.noRoleMapping': 'no role mapping',
  'portal.test.none': 'none',
  'portal.test.checks': 'Checks',
  'portal.test.checkPassed': '✓ Passed',
  'portal.test.checkFailed': '✗ Failed',
  'portal.test.check.orgActive': 'Your organization can sign in',
  'portal.test.check.subjectPresent': 'The IdP said who the user is (NameID or sub)',
  'portal.test.check.emailUsable': 'An email address came back',
  'portal.test.check.emailDomainAllowed': "The email's domain is one of your verified domains",
  'portal.test.check.emailVerified':
    'The email address is verified (where your organization requires it)',
  'portal.test.everything': 'Everything the IdP sent ({count})',
  'portal.test.activate': 'Activate {name}',
  'portal.test.again': 'Test sign-in again',
  'portal.test.finishedTitle': 'Test sign-in finished',
  'portal.test.finishedLead': 'Your identity provider answered. See what came back:',
  'portal.test.seeResult': 'See the result',
  'portal.test.notActivatedTitle': 'Not activated',
  'portal.test.notActivatedHeading': '{name} was not activated',
  'portal.test.backTo': '← Back to {name}',
  'portal.test.refused.untested':
    'Run a test sign-in that passes before activating this connection.',
  'portal.test.refused.changed':
    'The connection changed since its last passed test sign-in: test it again before activating it.',
  'portal.test.refused.checkFailed':
    'The connection did not pass its live checks; fix it at the IdP or here, then activate again.',
  'portal.test.refused.other':
    'The connection could not be activated now. Reload its page and try again.',

  // What to fix at the IdP, by reason code (test-fixes.ts).
  'portal.test.fix.emailMissingSaml':
    'The IdP sent no usable email. Add an attribute statement named "{attribute}" whose value is the user\'s email address (or send the NameID in the emailAddress format).',
  'portal.test.fix.emailMissingOidc':
    'The IdP sent no usable email claim. Include the "email" scope and make sure the user has an email address at the IdP.',
  'portal.test.fix.subjectMissingSaml':
    'The IdP sent no usable NameID (a transient one changes at every sign-in). Send a persistent or emailAddress NameID.',
  'portal.test.fix.subjectMissingOidc': 'The ID token has no subject ("sub").',
  'portal.test.fix.emailDomainNotAllowed':
    "The email's domain is not one of your organization's verified domains. Verify that domain in the Domain step, or sign in with an address in a verified domain.",
  'portal.test.fix.emailNotVerified':
    'Your organization requires verified email addresses, and the IdP did not say this one is verified (OIDC: email_verified must be true).',
  'portal.test.fix.orgDisabled': 'Your organization is disabled: ask the platform team.',
  'portal.test.fix.idpAccessDenied':
    'The sign-in was cancelled or refused at the IdP. Check that your account is assigned to the application there, then test again.',
  'portal.test.fix.issuerMismatch':
    'The IdP answered with another issuer than the one configured: check the issuer URL exactly (including any trailing slash).',
  'portal.test.fix.samlIssuerMismatch':
    "The response's Issuer is not the IdP entity id in the metadata: upload the metadata of this application again.",
  'portal.test.fix.samlAudienceMismatch':
    'The assertion\'s Audience must be exactly "{url}": set it as the application\'s SP entity id (Audience URI) at the IdP.',
  'portal.test.fix.audienceMismatch':
    "The ID token's audience is not this connection's client id: check the client id.",
  'portal.test.fix.samlDestinationMismatch':
    'The response was sent for another address: set the ACS (reply) URL at the IdP to exactly "{url}".',
  'portal.test.fix.samlRecipientMismatch':
    'The assertion\'s Recipient must be exactly "{url}": set it as the ACS (reply) URL at the IdP.',
  'portal.test.fix.samlSignatureInvalid':
    "The signature did not verify with the IdP's certificate: the IdP may have rotated its signing certificate. Upload its current metadata again.",
  'portal.test.fix.samlCertificateUnknown':
    "The response was signed with a certificate the connection does not know: upload the IdP's current metadata.",
  'portal.test.fix.samlAssertionUnsigned':
    'The assertion must be signed: set the IdP to sign the assertion (or the response and the assertion).',
  'portal.test.fix.samlSignatureAlgorithmWeak':
    'The IdP signs with SHA-1: set it to RSA-SHA256 (or stronger).',
  'portal.test.fix.samlAssertionExpired':
    "The assertion had expired when it arrived: check the IdP server's clock.",
  'portal.test.fix.samlAssertionNotYetValid':
    "The assertion is not valid yet: check the IdP server's clock.",
  'portal.test.check.assuranceSufficient':
    "Your organization's sign-in strength policy (MFA, phishing-resistant) is met",
  'portal.test.assurance': 'Sign-in strength',
  'portal.test.assuranceProven': '{acr} (methods: {amr}); your organization requires {required}',
  'portal.test.assuranceNothingRequired': 'nothing more than a password',
  'portal.test.assuranceUnknown': 'no level Latchkey knows',
  'portal.test.fix.samlNoAuthnContext':
    "The IdP answered that it cannot sign in as strongly as asked (RequestedAuthnContext): check the connection's assurance request against the classes the IdP offers, and that the IdP application has MFA set up.",
  'portal.test.fix.assuranceInsufficient':
    'Your organization requires MFA (or a phishing-resistant sign-in), and the IdP did not say this sign-in used it. Turn on MFA for this application at the IdP and have it say so (OIDC: an acr or amr such as "mfa"; SAML: an AuthnContextClassRef such as http://schemas.microsoft.com/claims/multipleauthn), or map the value your IdP sends in the connection\'s assurance settings.',
  'portal.test.fix.signInNotFresh':
    'The IdP answered from an earlier sign-in although a fresh one was asked for (OIDC max_age=0, SAML ForceAuthn): set the IdP application to honour forced re-authentication.',
  'portal.test.fix.samlStatusNotSuccess':
    'The IdP answered with an error status: check that the user is assigned to the application at the IdP, and its logs.',
  'portal.test.fix.clientRejected': 'The IdP refused the client id or secret: copy both again.',
  'portal.test.fix.codeRejected':
    'The IdP refused the authorization code: check that the redirect URI registered there is exactly "{url}" and the client secret is current.',
  'portal.test.fix.idpUnreachable':
    'The IdP could not be reached from Latchkey: check the issuer or metadata URL.',
  'portal.test.fix.idToken':
    "The IdP's ID token did not verify: check the issuer, the client id and the IdP's signing keys (JWKS).",
  'portal.test.fix.saml':
    'The SAML response did not pass its checks: upload the current metadata and compare the values above with the IdP application.',
  'portal.test.fix.other':
    'Compare the values to enter at the IdP with its application, then test again.',

  // The Directory sync step (portal-directory-pages.ts).
  'portal.directory.title': 'Directory sync',
  'portal.directory.lead':
    'Your identity provider creates, updates and removes your people here with SCIM 2.0.',
  'portal.directory.never': 'never',
  'portal.directory.active': 'Active',
  'portal.directory.disabled': 'Disabled',
  'portal.directory.baseUrl': 'SCIM base URL',
  'portal.directory.bearerToken': 'Bearer token',
  'portal.directory.tokenShownAbove': 'the token shown above',
  'portal.directory.tokenIssuedHere': 'a token issued on this page',
  'portal.directory.noErrors': 'No refused requests.',
  'portal.directory.errorWhen': 'When',
  'portal.directory.errorRequest': 'Request',
  'portal.directory.errorStatus': 'Status',
  'portal.directory.errorDetail': 'Detail',
  'portal.directory.syncStatus': 'Sync status',
  'portal.directory.lastRequest': 'Last request',
  'portal.directory.lastChange': 'Last change',
  'portal.directory.users': 'Users',
  'portal.directory.activeUsers': 'Active users',
  'portal.directory.groups': 'Groups',
  'portal.directory.precision':
    'Times may be up to {count, plural, one {# second} other {# seconds}} behind.',
  'portal.directory.recentErrors': 'Recent errors',
  'portal.directory.errorsDropped':
    '{count, plural, one {# more was counted, not kept.} other {# more were counted, not kept.}}',
  'portal.directory.tokens': 'Tokens',
  'portal.directory.noToken': 'No token yet: your identity provider cannot connect.',
  'portal.directory.issued': 'Issued',
  'portal.directory.ends': 'ends',
  'portal.directory.revoke': 'Revoke',
  'portal.directory.rotate': 'Rotate token',
  'portal.directory.issue': 'Issue token',
  'portal.directory.rotateHint':
    'A new token is shown once. Tokens issued before keep working for a while, so you can update your identity provider, then stop.',
  'portal.directory.disabledHint': 'This directory is disabled: its tokens do not work.',
  'portal.directory.newToken': 'Your new SCIM token',
  'portal.directory.copyNow': 'Copy it now: it is shown this once and cannot be shown again.',
  'portal.directory.setUpIdp': 'Set up your identity provider',
  'portal.directory.setUp': 'Set up directory sync',
  'portal.directory.nameLabel': 'Name (for example, the identity provider)',
  'portal.directory.revoked': 'The token was revoked: it no longer works.',
  'portal.directory.error.name': 'Enter a name of 1 to 200 characters.',
  'portal.directory.error.other': 'The directory could not be set up now. Try again.',

  // The Directory sync step's instructions for each identity provider (directory-guides.ts).
  'portal.directory.guide.entra.step1': 'Enterprise application → Provisioning → Automatic.',
  'portal.directory.guide.entra.step2':
    'Enter the values below, then Test Connection (it sends GET /Users?filter=userName eq "…" with a random name and expects an empty list).',
  'portal.directory.guide.entra.attributes':
    'Keep the default attribute mappings (userName ← UPN, externalId ← mailNickname or objectId, active ← Switch([IsSoftDeleted]…)); the string "False" Entra ID sends for active is understood.',
  'portal.directory.guide.okta.step1':
    'App → Provisioning → Integration: enable API integration with SCIM.',
  'portal.directory.guide.okta.step2':
    'Unique identifier field: userName. Supported actions: Push New Users, Push Profile Updates (Okta updates by PUT and deactivates with active: false), Push Groups. Authentication mode: HTTP Header.',
  'portal.directory.guide.okta.attributes':
    'Keep the default mappings: userName, givenName, familyName, email (primary work email). Push Groups sends group memberships.',
  'portal.directory.guide.google.step1':
    'Google Workspace pushes users by SCIM only to apps of its own catalogue, so it cannot be pointed at this base URL directly.',
  'portal.directory.guide.google.step2':
    'Use a third-party sync service that reads your Google directory and provisions a SCIM 2.0 endpoint: give it the base URL and token below.',
  'portal.directory.guide.google.attributes':
    'Map userName and the primary work email to the Google primary email, name.givenName and name.familyName to first and last name, active to the account not being suspended. Google itself sends no groups.',
  'portal.directory.guide.google.caveat':
    'Through a third-party service: Latchkey does not test or support that service.',
  'portal.directory.guide.google.baseUrl': 'SCIM base URL (in the third-party tool)',
  'portal.directory.guide.onelogin.step1':
    'Applications → Add App → "SCIM Provisioner with SAML (SCIM v2 Enterprise)".',
  'portal.directory.guide.onelogin.step2':
    'Configuration tab: enter the values below and Enable the API connection; Provisioning tab: enable provisioning.',
  'portal.directory.guide.onelogin.attributes':
    'Keep the v2 Enterprise SCIM JSON template (userName = email, a primary work email, name). Do not put groups in the template: groups are pushed through /Groups (Parameters → Groups, "Include in User Provisioning").',
  'portal.directory.guide.jumpcloud.step1':
    'SSO Applications → your application → Identity Management.',
  'portal.directory.guide.jumpcloud.step2':
    'Choose SCIM 2.0, enter the values below, Test Connection, then Activate; bind the user groups to provision.',
  'portal.directory.guide.jumpcloud.attributes':
    'JumpCloud sends userName (the email), name, emails and active from its user record; enable Group Management to push the bound groups.',

  // The Audit log step (portal-audit-pages.ts).
  'portal.audit.title': 'Audit log',
  'portal.audit.lead': "Your organization's events, newest first. Times are UTC.",
  'portal.audit.typeLabel': 'Event type',
  'portal.audit.typeExample': 'sso.connection.* or user.login.succeeded',
  'portal.audit.fromLabel': 'From (UTC day)',
  'portal.audit.toLabel': 'To (UTC day, included)',
  'portal.audit.outcomeLabel': 'Outcome',
  'portal.audit.any': 'Any',
  'portal.audit.success': 'success',
  'portal.audit.failure': 'failure',
  'portal.audit.filter': 'Filter',
  'portal.audit.export': 'Export these events (oldest first, at most {count, number}):',
  'portal.audit.time': 'Time',
  'portal.audit.event': 'Event',
  'portal.audit.actor': 'Actor',
  'portal.audit.target': 'Target',
  'portal.audit.none': 'No events match.',
  'portal.audit.older': 'Older events →',
  'portal.audit.error.type':
    'Enter up to {count} event types separated by commas, each one the audit log knows, exact (admin.user.deleted) or a prefix ending in .* (admin.user.*).',
  'portal.audit.error.unknownType':
    'The audit log has no event type {name}. docs/audit-events.md lists them; a prefix ends in .* (admin.user.*).',
  'portal.audit.error.date': 'Enter a date such as 2026-03-01.',
  'portal.audit.error.order': 'The “To” day must not be before the “From” day.',
  'portal.audit.error.outcome': 'Choose success or failure, or any.',
  'portal.audit.error.cursor': 'This list of older events is no longer valid: filter again.',
  'portal.audit.error.format': 'Export as CSV or JSON Lines.',
  'portal.audit.error.tooLarge':
    'More events match than an export holds ({count, number}). Narrow the filters (a shorter date range, say).',
  'portal.audit.error.other': 'These filters cannot be used. Change them and filter again.',

  // The Sessions step (portal-sessions-pages.ts).
  'portal.sessions.title': 'Sessions',
  'portal.sessions.lead':
    'Who is signed in to your organization now. Ending a session signs that device out at once, in every application.',
  'portal.sessions.emailLabel': 'User email (the address or its beginning)',
  'portal.sessions.filter': 'Filter',
  'portal.sessions.user': 'User',
  'portal.sessions.connection': 'Connection',
  'portal.sessions.device': 'Device',
  'portal.sessions.ip': 'IP address',
  'portal.sessions.signedIn': 'Signed in',
  'portal.sessions.lastActive': 'Last active',
  'portal.sessions.actions': 'Actions',
  'portal.sessions.unknownUser': 'Unknown user',
  'portal.sessions.unknown': 'Unknown',
  // Each button's accessible label holds its visible words (WCAG 2.5.3 Label in Name).
  'portal.sessions.end': 'End',
  'portal.sessions.endLabel': 'End the session of {email} on {device}',
  'portal.sessions.endAll': 'End all',
  'portal.sessions.endAllLabel': 'End all sessions of {email}',
  'portal.sessions.noneForEmail': 'No live sessions for this email.',
  'portal.sessions.none': 'No live sessions.',
  'portal.sessions.next': 'Next page →',
  'portal.sessions.ended': '{count, plural, one {One session ended.} other {# sessions ended.}}',
  'portal.sessions.error.email': 'Enter at most 320 characters: an email address or its beginning.',
};

/** A locale's part: every key of the English part, none other. */
export type PortalOpsPart = Record<keyof typeof portalOpsEn, string>;
