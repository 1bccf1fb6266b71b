import { AppError } from '../../platform/errors.js';

/*
 * How the SAML checks refuse, and the message size they read, apart from the checks
 * themselves: the routes and services that catch a refusal import these without loading
 * libxml2 (the checks are loaded at the first SAML message: load-saml-engine.ts).
 */

/** The largest SAML message the ACS reads (decoded XML). */
export const MAX_SAML_MESSAGE_BYTES = 256 * 1024;

const REFUSAL_MESSAGES: Record<string, string> = {
  saml_assertion_expired: 'This sign-in took too long to arrive. Start again.',
  saml_assertion_not_yet_valid:
    "Your company sign-in answered with a time in the future (the servers' clocks may differ). Start again.",
  saml_status_not_success: 'Your company sign-in service did not complete the sign-in.',
  saml_no_authn_context:
    'Your company sign-in service could not sign you in as strongly as this sign-in requires.',
  saml_unsolicited_not_allowed: 'Sign-in must start at Latchkey for this organization.',
  saml_in_response_to_unknown: 'This sign-in has expired or was not started here. Start again.',
  saml_in_response_to_reused: 'This sign-in was already used. Start again.',
  saml_assertion_replayed: 'This sign-in was already used. Start again.',
};

/** A refused SAML response, with the reason code of the check that refused it. */
export class AcsRefusal extends AppError {
  constructor(code: string) {
    super(
      code,
      REFUSAL_MESSAGES[code] ?? 'Your company sign-in could not be verified.',
      code === 'saml_response_too_large' ? { status: 413 } : { status: 400 },
    );
  }
}

/** A refused logout message, with the reason code of the check that refused it. */
export class LogoutRefusal extends AppError {
  constructor(code: string) {
    super(code, 'This sign-out message from your company sign-in could not be verified.', {
      status: code === 'saml_logout_too_large' ? 413 : 400,
    });
  }
}
