import { readResponseDocument, type ResponseDocument } from './response-document.js';
import { isSchemaValid } from './schema-validator.js';
import { decryptAssertion, verifySignature } from './verify-response.js';
import {
  ALLOWED_ALGORITHMS,
  documentOf,
  refuse,
  type AcsContext,
  type AcsMessage,
  type AcsState,
} from './acs-context.js';

/** The ACS checks that establish, through samlify, which assertion the IdP really signed. */

/**
 * The response or the assertion is signed by a certificate from the connection's
 * metadata, verified by samlify (never a certificate from KeyInfo alone; see
 * verify-response.ts). An encrypted assertion is decrypted with the SP key: after
 * verifying the Response's signature when it has one (encrypt-then-sign), else first,
 * and then the assertion's own signature inside it must verify.
 */
export async function checkSignature(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const doc = documentOf(state);
  const certificates = ctx.entities.idpPerCertificate;
  if (certificates.length === 0) refuse('saml_certificate_unknown');
  const sps = [ctx.entities.sp, ...(ctx.entities.spNext ? [ctx.entities.spNext] : [])];

  if (!doc.encrypted) {
    const verified = verifySignature(doc.xml, certificates);
    if (!verified.ok) refuse(verified.reason);
    state.signedAssertionXml = verified.signedXml;
    // Without a Response signature, the assertion's is the only one samlify could verify
    // (and it is the assertion's own when it references the assertion).
    state.assertionSignatureVerified = !doc.hasResponseSignature && doc.hasAssertionSignature;
    return;
  }

  if (doc.hasResponseSignature) {
    const verified = verifySignature(doc.xml, certificates);
    if (!verified.ok) refuse(verified.reason);
    // The signed Response, canonicalized without its signature, holds the ciphertext.
    const decrypted = await decryptAssertion(verified.signedXml, sps);
    if (!decrypted) return refuse('saml_decryption_failed');
    state.decryptedResponseXml = decrypted.responseXml;
    state.signedAssertionXml = decrypted.assertionXml;
    state.assertionSignatureVerified = false;
    return;
  }

  // Anyone can encrypt to the SP's public certificate, and alter a ciphertext they hold
  // (AES-CBC has no integrity): the clear text is as untrusted as the rest of the message
  // and passes the same structural checks before its signature. Whatever fails, from the
  // decryption to that signature, is one refusal: a reason that told a broken padding from
  // clear text that is not XML, or from XML whose signature fails, would be an oracle that
  // decrypts a captured assertion (Jager and Somorovsky, "How to Break XML Encryption").
  const decrypted = await decryptAssertion(doc.xml, sps);
  const clear = decrypted ? readDecrypted(decrypted) : null;
  const verified = clear ? verifySignature(clear.xml, certificates) : null;
  if (!clear || !verified?.ok) return refuse('saml_decryption_failed');
  state.decryptedResponseXml = clear.xml;
  state.signedAssertionXml = verified.signedXml;
  state.assertionSignatureVerified = clear.hasAssertionSignature;
}

/**
 * The decrypted Response when its clear text passes the ACS's structural checks, else
 * null. samlify parses the clear text leniently (xmldom takes `</b\x10?` for `</b>`) and
 * serializes it again, so the clear text as decrypted must itself be well-formed and
 * schema-valid to libxml2, as the message around it was.
 */
function readDecrypted(decrypted: {
  responseXml: string;
  assertionXml: string;
}): ResponseDocument | null {
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(decrypted.assertionXml)) return null;
  if (!isSchemaValid(decrypted.assertionXml)) return null;
  let clear: ResponseDocument;
  try {
    clear = readResponseDocument(decrypted.responseXml);
  } catch {
    return null;
  }
  if (clear.assertions !== 1 || !clear.assertionIsChildOfResponse) return null;
  if (clear.comments > 0) return null;
  if (clear.algorithms.some((a) => !ALLOWED_ALGORITHMS.has(a))) return null;
  return clear;
}

/**
 * When the connection wants signed assertions, the assertion's own signature must verify
 * too: a signed Response around an unsigned (or foreign-signed) assertion is refused.
 * The assertion read from then on is the one its own signature covers.
 */
export async function checkAssertionSigned(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  if (!ctx.connection.wantAssertionsSigned || state.assertionSignatureVerified) return;
  const doc = documentOf(state);
  // The Response without its own signature: only the assertion's can verify.
  let xml: string;
  if (state.decryptedResponseXml !== undefined) {
    xml = state.decryptedResponseXml;
    let clear;
    try {
      clear = readResponseDocument(xml);
    } catch {
      return refuse('saml_response_malformed');
    }
    if (!clear.hasAssertionSignature) refuse('saml_assertion_unsigned');
  } else {
    if (!doc.hasAssertionSignature) refuse('saml_assertion_unsigned');
    xml = doc.withoutResponseSignature();
  }
  const verified = verifySignature(xml, ctx.entities.idpPerCertificate);
  if (!verified.ok) refuse(verified.reason);
  state.signedAssertionXml = verified.signedXml;
  state.assertion = undefined;
  state.assertionSignatureVerified = true;
  return Promise.resolve();
}
