// What a person can do about a failure, in plain words, by reason code (issue 20): the
// reason code itself and the correlation id stay on the page for the IT team, under
// "Details for your IT team". Codes are grouped by what the person can do about them. A
// code without advice (rate_limited: its message already says how long to wait) keeps
// the error's own message.

/** One piece of advice: what happened, and what to do now. */
export interface ErrorAdvice {
  happened: string;
  todo: string;
}

const START_AGAIN: ErrorAdvice = {
  happened: 'The sign-in took too long, or it was started in another window or browser.',
  todo: 'Start again from the sign-in page, in this browser.',
};
const IDP_SETUP: ErrorAdvice = {
  happened: "Your company's sign-in service answered in a way we could not verify.",
  todo: 'This needs a change in your company’s sign-in setup: contact your IT admin and give them the details below.',
};
const IDP_DOWN: ErrorAdvice = {
  happened: "Your company's sign-in service is not answering right now.",
  todo: 'Try again in a few minutes. If it keeps happening, contact your IT admin.',
};
const ACCOUNT: ErrorAdvice = {
  happened: 'Your account cannot sign in here.',
  todo: 'Contact your IT admin and give them the details below.',
};

const BY_CODE: Record<string, ErrorAdvice> = {
  email_domain_not_allowed: {
    happened: 'The email address your company sent is not one of its work domains here.',
    todo: 'Sign in with your work email address. If that is what you used, contact your IT admin.',
  },
  email_not_verified: {
    happened: 'Your company has not confirmed your email address.',
    todo: 'Contact your IT admin: your email address must be verified at your company’s sign-in service.',
  },
  assurance_insufficient: {
    happened:
      'Your organization requires a stronger sign-in, such as a second step (a code, a security key or an app prompt), and your company’s sign-in service did not report one.',
    todo: 'Sign in again and complete the extra step your company’s sign-in service asks for. If it asks for none, contact your IT admin.',
  },
  email_missing: ACCOUNT,
  subject_missing: IDP_SETUP,
  user_deactivated: ACCOUNT,
  account_unavailable: ACCOUNT,
  provisioning_failed: ACCOUNT,
  identity_invalid: ACCOUNT,
  org_disabled: {
    happened: 'Your organization cannot sign in right now.',
    todo: 'Contact your IT admin.',
  },
  connection_unavailable: {
    happened: 'This sign-in option is not available any more.',
    todo: 'Start again from the sign-in page with your work email.',
  },
  protocol_unavailable: {
    happened: 'This sign-in option is not set up yet.',
    todo: 'Start again from the sign-in page, or contact your IT admin.',
  },
  idp_unreachable: IDP_DOWN,
  idp_timeout: IDP_DOWN,
  idp_temporarily_unavailable: IDP_DOWN,
  idp_server_error: IDP_DOWN,
  code_rejected: START_AGAIN,
  transaction_not_found: START_AGAIN,
  transaction_foreign_browser: START_AGAIN,
  state_missing: START_AGAIN,
  state_mismatch: START_AGAIN,
  saml_in_response_to_unknown: START_AGAIN,
  saml_relay_state_mismatch: START_AGAIN,
  saml_assertion_replayed: START_AGAIN,
  login_cross_site: {
    happened: 'This sign-in was started from another website.',
    todo: 'Start again from the sign-in page.',
  },
  csrf_failed: {
    happened: 'This form was open too long, or it came from another page.',
    todo: 'Reload the page and try again.',
  },
  not_found: {
    happened: 'There is nothing at this address.',
    todo: 'Check the address, or start again from the sign-in page.',
  },
};

/**
 * The advice for a reason code: its own, else by family (`idp_…` the IdP refused,
 * `saml_…`, `id_token_…` the IdP's answer did not verify), else null (the page then has
 * the error's own message only).
 */
export function adviceFor(code: string): ErrorAdvice | null {
  const own = BY_CODE[code];
  if (own) return own;
  if (code.startsWith('saml_') || code.startsWith('id_token_') || code.endsWith('_mismatch')) {
    return IDP_SETUP;
  }
  if (code.startsWith('idp_')) {
    return {
      happened: "Your company's sign-in service did not complete the sign-in.",
      todo: 'Try again. If it keeps happening, contact your IT admin and give them the details below.',
    };
  }
  return null;
}
