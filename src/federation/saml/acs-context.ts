import { parseSamlTime } from './saml-time.js';
import { AcsRefusal } from './saml-refusals.js';
import type { ResponseDocument } from './response-document.js';
import type { ConnectionEntities, SamlConnectionConfig, SpEndpoints } from './saml-entities.js';
import type { XmlElement } from 'libxml2-wasm';
import { readAssertionFacts, type AssertionFacts } from './assertion-reader.js';
import type { ClearAssertion } from './verify-response.js';

/*
 * What every ACS check receives and shares, and how it refuses (acs-checks.ts lists the
 * checks in order).
 */

export { AcsRefusal, MAX_SAML_MESSAGE_BYTES } from './saml-refusals.js';

export interface AcsMessage {
  /** The SAMLResponse form field: base64 of the XML. */
  samlResponse: string;
  relayState: string | null;
}

export interface AcsContext {
  connection: SamlConnectionConfig & { allowIdpInitiated: boolean };
  endpoints: SpEndpoints;
  entities: ConnectionEntities;
  nowMs: number;
  skewMs: number;
  /**
   * Pending AuthnRequests: each request id is consumed once, giving its transaction handle
   * and, when it was sent with ForceAuthn="true", when it was sent (ms since the epoch).
   */
  consumeRequest(
    requestId: string,
  ): Promise<
    | { ok: true; handle: string; forceAuthnAtMs?: number | null }
    | { ok: false; reason: 'unknown' | 'reused' }
  >;
  /** The assertion replay cache: true for the first claim of a key only. */
  claimAssertion(key: string, ttlMs: number): Promise<boolean>;
}

/** What the checks have established so far. */
export interface AcsState {
  xml?: string;
  /** The one libxml2 parse of the message (disposed when the checks end). */
  document?: ResponseDocument;
  /** The encrypted assertion's clear text, parsed once (disposed when the checks end). */
  clear?: ClearAssertion;
  /** Whether the assertion's own signature is among those verified. */
  assertionSignatureVerified?: boolean;
  /** The assertion element the verified signature covers, in the verified tree. */
  verifiedAssertion?: XmlElement;
  /** What the assertion says, read from verifiedAssertion (once, by the first check asking). */
  assertion?: AssertionFacts;
  bearer?: AssertionFacts['subjectConfirmations'][number];
  /** The earliest NotOnOrAfter of the assertion, in ms since the epoch. */
  expiresAtMs?: number;
  /** The transaction handle of the AuthnRequest this answers; null when unsolicited. */
  solicited?: { requestId: string; handle: string } | null;
  /** When the AuthnRequest this answers was sent with ForceAuthn="true" (ms), else null. */
  forceAuthnAtMs?: number | null;
}

export type AcsCheck = (message: AcsMessage, state: AcsState, ctx: AcsContext) => Promise<void>;

export function refuse(code: string): never {
  throw new AcsRefusal(code);
}

export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const RESPONDER = 'urn:oasis:names:tc:SAML:2.0:status:Responder';
export const NO_AUTHN_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext';
export const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
// SHA-1 is collision-broken (xmldsig-core §6.4, saml-sec-consider): refused outright.
export const ALLOWED_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

export const documentOf = (state: AcsState): ResponseDocument =>
  state.document ?? refuse('saml_response_malformed');
export const assertionOf = (state: AcsState): AssertionFacts => {
  if (!state.assertion) {
    if (!state.verifiedAssertion) return refuse('saml_signature_invalid');
    state.assertion = readAssertionFacts(state.verifiedAssertion);
  }
  return state.assertion;
};
export const timeOf = (value: string): number =>
  parseSamlTime(value) ?? refuse('saml_response_malformed');

/** Runs checks in order; the first that fails throws its AcsRefusal. */
export async function runChecksIn(
  checks: readonly AcsCheck[],
  message: AcsMessage,
  ctx: AcsContext,
): Promise<AcsState> {
  const state: AcsState = {};
  try {
    for (const check of checks) await check(message, state, ctx);
  } finally {
    disposeAcsState(state);
  }
  return state;
}

/** Frees the libxml2 trees the checks parsed (wasm memory), on every path. */
export function disposeAcsState(state: AcsState): void {
  state.document?.dispose();
  state.clear?.document.dispose();
  state.document = undefined;
  state.clear = undefined;
  state.verifiedAssertion = undefined;
}
