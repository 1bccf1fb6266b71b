import {
  runChecksIn,
  type AcsCheck,
  type AcsContext,
  type AcsMessage,
  type AcsState,
} from './acs-context.js';
import {
  checkAudience,
  checkAuthnInstant,
  checkAuthnStatement,
  checkDestination,
  checkInResponseTo,
  checkIssuer,
  checkRecipient,
  checkReplay,
  checkTimeWindow,
} from './assertion-checks.js';
import {
  checkMessageSize,
  checkNoAuthnContext,
  checkNoComments,
  checkNoDoctype,
  checkSchema,
  checkSignatureAlgorithms,
  checkSingleAssertion,
  checkStatus,
  checkWellFormed,
} from './message-checks.js';
import { checkAssertionSigned, checkSignature } from './signature-checks.js';

/**
 * The Assertion Consumer Service, as an ordered list of small checks (SAML 2.0 Core,
 * Bindings §3.5 HTTP-POST, Profiles §4.1.4 Web Browser SSO). Each check opens with what it
 * enforces, throws an AcsRefusal with its own reason code, and may leave what it
 * established in the state for the checks after it. Cheap refusals of the raw message
 * come first, then the cryptography, then what the signed assertion says.
 *
 * The message is parsed once (libxml2): the schema, the signatures (the strict verifier of
 * xml-signature.ts, docs/saml-signature-profile.md) and the assertion's facts are all of
 * that one tree, the facts read from the very element the verified signature covers.
 */

/** In order; the first that fails refuses the response with its reason code. */
export const acsChecks: readonly AcsCheck[] = [
  checkMessageSize, // saml_response_too_large, saml_response_malformed
  checkNoDoctype, // saml_doctype_forbidden
  checkWellFormed, // saml_response_malformed
  checkSchema, // saml_response_invalid
  checkNoAuthnContext, // saml_no_authn_context
  checkStatus, // saml_status_not_success
  checkSingleAssertion, // saml_assertion_count
  checkNoComments, // saml_xml_comment_forbidden
  checkSignatureAlgorithms, // saml_signature_algorithm_weak
  checkSignature, // saml_signature_invalid, saml_certificate_unknown, saml_signature_wrapping, saml_decryption_failed
  checkAssertionSigned, // saml_assertion_unsigned
  checkIssuer, // saml_issuer_mismatch
  checkAudience, // saml_audience_mismatch
  checkDestination, // saml_destination_mismatch
  checkRecipient, // saml_recipient_mismatch
  checkAuthnStatement, // saml_authn_statement_missing
  checkTimeWindow, // saml_assertion_expired, saml_assertion_not_yet_valid
  checkInResponseTo, // saml_unsolicited_not_allowed, saml_in_response_to_unknown, saml_in_response_to_reused, saml_relay_state_mismatch
  checkAuthnInstant, // saml_authn_instant_too_old
  checkReplay, // saml_assertion_replayed
];

export function runAcsChecks(message: AcsMessage, ctx: AcsContext): Promise<AcsState> {
  return runChecksIn(acsChecks, message, ctx);
}

export {
  AcsRefusal,
  MAX_SAML_MESSAGE_BYTES,
  type AcsCheck,
  type AcsContext,
  type AcsMessage,
  type AcsState,
} from './acs-context.js';
export {
  checkAssertionSigned,
  checkAudience,
  checkAuthnInstant,
  checkAuthnStatement,
  checkDestination,
  checkInResponseTo,
  checkIssuer,
  checkMessageSize,
  checkNoAuthnContext,
  checkNoComments,
  checkNoDoctype,
  checkRecipient,
  checkReplay,
  checkSchema,
  checkSignature,
  checkSignatureAlgorithms,
  checkSingleAssertion,
  checkStatus,
  checkTimeWindow,
  checkWellFormed,
};
