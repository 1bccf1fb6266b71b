import { portalOpsEn } from './portal-ops/en.js';
import { portalSetupEn } from './portal-setup/en.js';

/**
 * The English messages of the end-user pages: the source catalog. Every other shipped
 * locale has exactly these keys (the `Catalog` type, and test/http/i18n-catalogs.test.ts)
 * and the same placeholders. Messages are ICU MessageFormat (formatjs): `{name}` is a
 * value, `{count, plural, …}` a plural. Keys are written out in full where they are used,
 * so that the catalog test can find each one.
 */
export const en = {
  'layout.footer': 'Secure sign-in for your organization',
  'layout.language': 'Language',

  'common.continue': 'Continue',
  'common.useAnotherEmail': 'Use another email',
  'common.signOut': 'Sign out',

  'login.title': 'Sign in',
  'login.heading': 'Sign in to your workspace',
  'login.lead': "Use your work email. We'll send you to your company's sign-in.",
  'login.emailLabel': 'Work email',
  'login.domainUnknown':
    "We don't recognize this email's organization. Check the address, or ask your IT team whether your company uses Latchkey.",
  'login.orgNotReady':
    "Your organization hasn't finished setting up sign-in yet. Contact your IT team.",
  'login.emailMissing': 'Enter your work email address.',
  'login.cancelled': 'Sign-in was cancelled. Enter your work email to start again.',

  'confirmConnection.title': 'Continue to sign in',
  'confirmConnection.lead':
    'A link from another site wants to start a sign-in. Continue only if you meant to sign in now, with your own work account.',
  'confirmConnection.leadWithEmail':
    'A link from another site wants to start a sign-in (it suggests {email}). Continue only if you meant to sign in now, with your own work account.',
  'confirmConnection.button': 'Continue to your company sign-in',

  'switchAccount.title': 'Switch account?',
  'switchAccount.lead': 'You are signed in as {current}.',
  'switchAccount.body':
    'A company sign-in you did not start here wants to sign this browser in as {email} instead. Continue only if you meant to.',
  'switchAccount.continue': 'Continue as {email}',
  'switchAccount.stay': 'Stay signed in as {current}',

  'chooser.title': 'Choose how to sign in',

  'handoff.signOutTitle': 'Signing you out',
  'handoff.signOutHeading': 'Signing you out…',
  'handoff.signOutLead': "You're being signed out of your company's sign-in too.",
  'handoff.idpTitle': 'Continuing to sign in',
  'handoff.idpHeading': "Continuing to your company's sign-in…",
  'handoff.idpLead': "You're being sent to your company's sign-in page.",

  'account.title': 'Your account',
  'account.heading': 'Signed in as {name}',
  'account.sessions': "Where you're signed in",
  'account.device': 'Device',
  'account.connection': 'Signed in through',
  'account.ip': 'IP address',
  'account.signedIn': 'Signed in',
  'account.lastActive': 'Last active',
  'account.action': 'Action',
  'account.thisDevice': 'This device',
  'account.unknown': 'unknown',
  'account.signOutThisDevice': 'Sign out of this device',
  'account.signOutSessionOn': 'Sign out the session on {device}',
  'account.signOutOthers': 'Sign out all other sessions',
  'account.signOutEverywhere': 'Sign out everywhere',
  'account.ended':
    '{count, plural, one {Signed out # other session.} other {Signed out # other sessions.}}',
  'account.time': '{time} UTC',

  'device.name': '{browser} on {system}',
  'device.unknown': 'Unknown device',
  'device.unknownBrowser': 'Browser',
  'device.unknownSystem': 'unknown system',

  'signedOut.title': 'Signed out',
  'signedOut.heading': "You're signed out",
  'signedOut.lead': 'You have been signed out of Latchkey. You can close this window.',
  'signedOut.signInAgain': 'Sign in again',

  'confirmLogout.title': 'Sign out?',
  'confirmLogout.lead': 'An application asked to sign you out of Latchkey.',

  'error.signInFailed': "We couldn't sign you in",
  'error.tooMany': 'Too many attempts',
  'error.badRequest': 'Bad request',
  'error.signInRequired': 'Sign-in required',
  'error.notAllowed': 'Not allowed',
  'error.notFound': 'Not found',
  'error.methodNotAllowed': 'Method not allowed',
  'error.conflict': 'Conflict',
  'error.preconditionFailed': 'Precondition failed',
  'error.tooLarge': 'Request too large',
  'error.unsupportedMediaType': 'Unsupported media type',
  'error.unavailable': 'Temporarily unavailable',
  'error.somethingWrong': 'Something went wrong',
  'error.itDetails': 'Details for your IT team',
  'error.reason': 'Reason',
  'error.message': 'Message',
  'error.correlationId': 'Correlation id',
  'error.correlationHint': 'Give them the correlation id: it finds this attempt in the logs.',
  'error.backToSignIn': 'Back to sign-in',

  'advice.startAgain.happened':
    'The sign-in took too long, or it was started in another window or browser.',
  'advice.startAgain.todo': 'Start again from the sign-in page, in this browser.',
  'advice.idpSetup.happened':
    "Your company's sign-in service answered in a way we could not verify.",
  'advice.idpSetup.todo':
    "This needs a change in your company's sign-in setup: contact your IT admin and give them the details below.",
  'advice.idpDown.happened': "Your company's sign-in service is not answering right now.",
  'advice.idpDown.todo':
    'Try again in a few minutes. If it keeps happening, contact your IT admin.',
  'advice.idpRefused.happened': "Your company's sign-in service did not complete the sign-in.",
  'advice.idpRefused.todo':
    'Try again. If it keeps happening, contact your IT admin and give them the details below.',
  'advice.account.happened': 'Your account cannot sign in here.',
  'advice.account.todo': 'Contact your IT admin and give them the details below.',
  'advice.emailDomain.happened':
    'The email address your company sent is not one of its work domains here.',
  'advice.emailDomain.todo':
    'Sign in with your work email address. If that is what you used, contact your IT admin.',
  'advice.emailNotVerified.happened': 'Your company has not confirmed your email address.',
  'advice.emailNotVerified.todo':
    "Contact your IT admin: your email address must be verified at your company's sign-in service.",
  'advice.assurance.happened':
    'Your organization requires a stronger sign-in, such as a second step (a code, a security key or an app prompt), and your company’s sign-in service did not report one.',
  'advice.assurance.todo':
    'Sign in again and complete the extra step your company’s sign-in service asks for. If it asks for none, contact your IT admin.',
  'advice.orgDisabled.happened': 'Your organization cannot sign in right now.',
  'advice.orgDisabled.todo': 'Contact your IT admin.',
  'advice.connectionUnavailable.happened': 'This sign-in option is not available any more.',
  'advice.connectionUnavailable.todo': 'Start again from the sign-in page with your work email.',
  'advice.protocolUnavailable.happened': 'This sign-in option is not set up yet.',
  'advice.protocolUnavailable.todo': 'Start again from the sign-in page, or contact your IT admin.',
  'advice.crossSite.happened': 'This sign-in was started from another website.',
  'advice.crossSite.todo': 'Start again from the sign-in page.',
  'advice.csrf.happened': 'This form was open too long, or it came from another page.',
  'advice.csrf.todo': 'Reload the page and try again.',
  'advice.notFound.happened': 'There is nothing at this address.',
  'advice.notFound.todo': 'Check the address, or start again from the sign-in page.',
  'advice.returnTo.happened': 'This sign-in link points somewhere we will not send you.',
  'advice.returnTo.todo': 'Start again from your application, or from the sign-in page.',
  'advice.generic.happened': 'Something went wrong with this request.',
  'advice.generic.todo':
    'Start again from the sign-in page. If it keeps happening, contact your IT admin and give them the details below.',
  'advice.tooManySignIns': 'Too many sign-in attempts. Please wait {wait} and try again.',
  'advice.tooMany': 'Too many requests. Please wait {wait} and try again.',

  'wait.seconds': '{count, plural, one {# second} other {# seconds}}',
  'wait.minutes': '{count, plural, one {# minute} other {# minutes}}',
  'wait.hours': '{count, plural, one {# hour} other {# hours}}',

  // The setup portal: its own parts, one per group of steps.
  ...portalSetupEn,
  ...portalOpsEn,
};

export type MessageKey = keyof typeof en;

/** A locale's messages: every key of the English catalog, none other. */
export type Catalog = Record<MessageKey, string>;
