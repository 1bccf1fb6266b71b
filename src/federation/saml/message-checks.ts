import { MalformedXmlError, readResponseDocument } from './response-document.js';
import { isSchemaValidDocument } from './schema-validator.js';
import {
  ALLOWED_ALGORITHMS,
  BASE64,
  documentOf,
  MAX_SAML_MESSAGE_BYTES,
  NO_AUTHN_CONTEXT,
  refuse,
  RESPONDER,
  SUCCESS,
  type AcsMessage,
  type AcsState,
} from './acs-context.js';

/**
 * The ACS checks of the raw message, before any signature is looked at: cheap structural
 * refusals (size, DOCTYPE, well-formedness, schema, status, one assertion, comments,
 * algorithms). What they read is never trusted, only refused.
 */

/** The message is at most 256 KB, checked before it is decoded or parsed. */
export async function checkMessageSize(message: AcsMessage, state: AcsState): Promise<void> {
  // base64 grows by 4/3; line breaks add a little more.
  if (message.samlResponse.length > Math.ceil((MAX_SAML_MESSAGE_BYTES * 4) / 3) + 8192)
    refuse('saml_response_too_large');
  if (!BASE64.test(message.samlResponse)) refuse('saml_response_malformed');
  const bytes = Buffer.from(message.samlResponse, 'base64');
  if (bytes.length > MAX_SAML_MESSAGE_BYTES) refuse('saml_response_too_large');
  if (bytes.length === 0) refuse('saml_response_malformed');
  state.xml = bytes.toString('utf8');
  return Promise.resolve();
}

/** No DOCTYPE and no entity declarations, however written (XXE, entity expansion). */
export async function checkNoDoctype(_message: AcsMessage, state: AcsState): Promise<void> {
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(state.xml ?? '')) refuse('saml_doctype_forbidden');
  return Promise.resolve();
}

/**
 * Well-formed XML whose root is a Response; any parser warning refuses it. This is the one
 * parse of the message (libxml2): the schema, the signatures and the assertion's facts are
 * all checked and read on this tree.
 */
export async function checkWellFormed(_message: AcsMessage, state: AcsState): Promise<void> {
  try {
    state.document = readResponseDocument(state.xml ?? '');
  } catch (error) {
    if (error instanceof MalformedXmlError) refuse('saml_response_malformed');
    throw error;
  }
  return Promise.resolve();
}

/** Valid against the SAML 2.0 protocol and assertion schemas (compiled once, libxml2-wasm). */
export async function checkSchema(_message: AcsMessage, state: AcsState): Promise<void> {
  if (!isSchemaValidDocument(documentOf(state).document)) refuse('saml_response_invalid');
  return Promise.resolve();
}

/**
 * Not a refusal for want of an authentication context: a Responder status whose
 * second-level code is NoAuthnContext (Core §3.2.2.2) says the IdP could not sign the
 * person in as strongly as the AuthnRequest's RequestedAuthnContext asked (Core
 * §3.3.2.2.1). Its own reason, so that the person and their IT team read what the IdP
 * said rather than a generic non-success; unsigned like most error responses, it proves
 * nothing and only ends the sign-in.
 */
export async function checkNoAuthnContext(_message: AcsMessage, state: AcsState): Promise<void> {
  const { status } = documentOf(state);
  if (status.top === RESPONDER && status.second === NO_AUTHN_CONTEXT)
    refuse('saml_no_authn_context');
  return Promise.resolve();
}

/** The top-level StatusCode is Success (Core §3.2.2.2); anything else is the IdP saying no. */
export async function checkStatus(_message: AcsMessage, state: AcsState): Promise<void> {
  if (documentOf(state).status.top !== SUCCESS) refuse('saml_status_not_success');
  return Promise.resolve();
}

/**
 * Exactly one assertion (plain or encrypted) in the whole document, a child of the
 * Response. Every signature-wrapping shape adds a second one somewhere (beside, around or
 * inside the signed one), so this refuses them before any signature is looked at.
 */
export async function checkSingleAssertion(_message: AcsMessage, state: AcsState): Promise<void> {
  const doc = documentOf(state);
  if (doc.assertions !== 1 || !doc.assertionIsChildOfResponse) refuse('saml_assertion_count');
  return Promise.resolve();
}

/**
 * No XML comments. Exclusive canonicalization drops them, so a comment is never signed;
 * inside a NameID (`alice@acme.test<!---->.evil.com`) it would let a parser that reads the
 * first text node see another identity than the one signed.
 */
export async function checkNoComments(_message: AcsMessage, state: AcsState): Promise<void> {
  if (documentOf(state).comments > 0) refuse('saml_xml_comment_forbidden');
  return Promise.resolve();
}

/** Signatures and digests use SHA-256 or SHA-512 with RSA; SHA-1 is refused. */
export async function checkSignatureAlgorithms(
  _message: AcsMessage,
  state: AcsState,
): Promise<void> {
  if (documentOf(state).algorithms.some((a) => !ALLOWED_ALGORITHMS.has(a)))
    refuse('saml_signature_algorithm_weak');
  return Promise.resolve();
}
