// What a person can do about a failure, in plain words, by reason code (issue 20): the
// reason code itself and the correlation id stay on the page for the IT team, under
// "Details for your IT team". Codes are grouped by what the person can do about them. A
// code without advice gets GENERIC_ADVICE, its own message going to the IT part
// (rate_limited has its own words on the page: how long to wait). The words are message
// keys (i18n/catalogs): the page says them in the person's language.

import type { MessageKey } from '../i18n/translator.js';

/** One piece of advice: what happened, and what to do now (null: the first says it all). */
export interface ErrorAdvice {
  happened: MessageKey;
  todo: MessageKey | null;
}

const START_AGAIN: ErrorAdvice = {
  happened: 'advice.startAgain.happened',
  todo: 'advice.startAgain.todo',
};
const IDP_SETUP: ErrorAdvice = {
  happened: 'advice.idpSetup.happened',
  todo: 'advice.idpSetup.todo',
};
const IDP_DOWN: ErrorAdvice = {
  happened: 'advice.idpDown.happened',
  todo: 'advice.idpDown.todo',
};
const ACCOUNT: ErrorAdvice = {
  happened: 'advice.account.happened',
  todo: 'advice.account.todo',
};

/** What the page says where a code has no advice of its own; its message goes to the IT part. */
export const GENERIC_ADVICE: ErrorAdvice = {
  happened: 'advice.generic.happened',
  todo: 'advice.generic.todo',
};

const BY_CODE: Record<string, ErrorAdvice> = {
  email_domain_not_allowed: {
    happened: 'advice.emailDomain.happened',
    todo: 'advice.emailDomain.todo',
  },
  email_not_verified: {
    happened: 'advice.emailNotVerified.happened',
    todo: 'advice.emailNotVerified.todo',
  },
  assurance_insufficient: {
    happened: 'advice.assurance.happened',
    todo: 'advice.assurance.todo',
  },
  // The IdP answered that it cannot sign the person in as strongly as asked: the same
  // advice (an extra step is required; IT when the sign-in service offers none).
  saml_no_authn_context: {
    happened: 'advice.assurance.happened',
    todo: 'advice.assurance.todo',
  },
  email_missing: ACCOUNT,
  subject_missing: IDP_SETUP,
  user_deactivated: ACCOUNT,
  account_unavailable: ACCOUNT,
  provisioning_failed: ACCOUNT,
  identity_invalid: ACCOUNT,
  org_disabled: { happened: 'advice.orgDisabled.happened', todo: 'advice.orgDisabled.todo' },
  connection_unavailable: {
    happened: 'advice.connectionUnavailable.happened',
    todo: 'advice.connectionUnavailable.todo',
  },
  protocol_unavailable: {
    happened: 'advice.protocolUnavailable.happened',
    todo: 'advice.protocolUnavailable.todo',
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
  login_cross_site: { happened: 'advice.crossSite.happened', todo: 'advice.crossSite.todo' },
  csrf_failed: { happened: 'advice.csrf.happened', todo: 'advice.csrf.todo' },
  not_found: { happened: 'advice.notFound.happened', todo: 'advice.notFound.todo' },
  return_to_refused: { happened: 'advice.returnTo.happened', todo: 'advice.returnTo.todo' },
};

/**
 * The advice for a reason code: its own, else by family (`idp_…` the IdP refused,
 * `saml_…`, `id_token_…` the IdP's answer did not verify), else null (the page then says
 * GENERIC_ADVICE and shows the error's own message to the IT team).
 */
export function adviceFor(code: string): ErrorAdvice | null {
  const own = BY_CODE[code];
  if (own) return own;
  if (code.startsWith('saml_') || code.startsWith('id_token_') || code.endsWith('_mismatch')) {
    return IDP_SETUP;
  }
  if (code.startsWith('idp_')) {
    return { happened: 'advice.idpRefused.happened', todo: 'advice.idpRefused.todo' };
  }
  return null;
}
