import type { XmlDocument, XmlElement } from 'libxml2-wasm';
import type { ResponseDocument } from './response-document.js';
import { childNamed, countOf, DS } from './xml-tree.js';
import { decryptAssertion } from './verify-response.js';
import { verifyEnvelopedSignature } from './xml-signature.js';
import {
  ALLOWED_ALGORITHMS,
  documentOf,
  refuse,
  type AcsContext,
  type AcsMessage,
  type AcsState,
} from './acs-context.js';

/**
 * The ACS checks that establish which assertion the IdP really signed, with the strict
 * verifier (xml-signature.ts) on the one libxml2 tree of the message: the assertion's
 * facts are read from the very element the verified signature covers.
 */

/** Verifies `signed`'s enveloped signature with the connection's keys, or refuses. */
function verifyOrRefuse(document: XmlDocument, signed: XmlElement, ctx: AcsContext): void {
  const verified = verifyEnvelopedSignature(document, signed, ctx.entities.idpKeys);
  if (!verified.ok) refuse(verified.reason);
}

/**
 * The assertion element whose signature (or whose Response's) just verified: what the
 * checks after this one read (acs-context.ts assertionOf), from this very node.
 */
function useVerified(state: AcsState, assertion: XmlElement): void {
  state.verifiedAssertion = assertion;
  state.assertion = undefined;
}

const signsItself = (doc: ResponseDocument) => !doc.encrypted && doc.hasAssertionSignature;

/**
 * Whether an assertion holds another assertion or signature below it, besides its own
 * signature: samlify refused one in SubjectConfirmationData as a wrapping attempt; here
 * anywhere (the ACS refuses a second assertion anyway, this holds without that check).
 */
function wrappedInside(assertion: XmlElement): boolean {
  const own = childNamed(assertion, DS, 'Signature') ? 1 : 0;
  return (
    countOf(
      assertion,
      "count(.//*[local-name()='Assertion' or local-name()='EncryptedAssertion' or local-name()='Signature'])",
    ) !== own
  );
}

const refuseWrappingInside = (assertion: XmlElement) => {
  if (wrappedInside(assertion)) refuse('saml_signature_wrapping');
};

/**
 * A plain assertion: read where it lies in the verified Response, or — when the Response
 * is unsigned or its signature does not verify — only once its own signature verifies.
 */
function readPlain(
  assertion: XmlElement,
  state: AcsState,
  ctx: AcsContext,
  responseVerified: boolean,
): void {
  const doc = documentOf(state);
  refuseWrappingInside(assertion);
  if (!responseVerified) {
    if (!doc.hasAssertionSignature)
      refuse(
        childNamed(assertion, DS, 'Signature') && ctx.connection.wantAssertionsSigned
          ? 'saml_assertion_unsigned'
          : 'saml_signature_invalid',
      );
    verifyOrRefuse(doc.document, assertion, ctx);
  }
  useVerified(state, assertion);
  state.assertionSignatureVerified = !responseVerified;
}

/**
 * The response or the assertion is signed by a certificate from the connection's
 * metadata (never a certificate from KeyInfo alone; see xml-signature.ts): the Response's
 * signature when it has one, else the assertion's. An encrypted assertion is decrypted
 * with the SP key: after verifying the Response's signature when it has one
 * (encrypt-then-sign), else first, and then the assertion's own signature inside it must
 * verify.
 */
export async function checkSignature(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const doc = documentOf(state);
  if (ctx.entities.idpKeys.length === 0) refuse('saml_certificate_unknown');
  // One assertion child of the Response (what checkSingleAssertion refuses, again here:
  // the signature layer must not depend on the checks before it to read the right one;
  // one nested deeper is wrapping, below).
  const children = "count(*[local-name()='Assertion' or local-name()='EncryptedAssertion'])";
  if (countOf(doc.root, children) !== 1) refuse('saml_assertion_count');
  const assertion = doc.assertion ?? refuse('saml_assertion_count');
  const sps = [ctx.entities.sp, ...(ctx.entities.spNext ? [ctx.entities.spNext] : [])];

  if (doc.hasResponseSignature) {
    const verified = verifyEnvelopedSignature(doc.document, doc.root, ctx.entities.idpKeys);
    // A Response signed by the IdP whose content changed since (its SignatureValue verifies,
    // its digest does not: the IdP signed the assertion, then something in it) around an
    // assertion whose own signature verifies is as good as an unsigned Response around a
    // signed assertion; samlify/xml-crypto accept that case alone, and so does this. Any
    // other refusal of the Response's signature stands.
    if (!verified.ok && !(verified.detail === 'digest_value' && signsItself(doc)))
      refuse(verified.reason);
    if (!verified.ok || !doc.encrypted) return readPlain(assertion, state, ctx, verified.ok);
    // The verified Response's ciphertext; its clear text is covered by that signature.
    state.clear =
      (await decryptAssertion(doc.document, assertion, sps, ALLOWED_ALGORITHMS)) ?? undefined;
    if (!state.clear) return refuse('saml_decryption_failed');
    refuseWrappingInside(state.clear.assertion);
    useVerified(state, state.clear.assertion);
    state.assertionSignatureVerified = false;
    return;
  }

  if (!doc.encrypted) return readPlain(assertion, state, ctx, false);

  // Anyone can encrypt to the SP's public certificate, and alter a ciphertext they hold
  // (AES-CBC has no integrity): the clear text is as untrusted as the rest of the message
  // and passes the same structural checks before its signature. Whatever fails, from the
  // decryption to that signature, is one refusal: a reason that told a broken padding from
  // clear text that is not XML, or from XML whose signature fails, would be an oracle that
  // decrypts a captured assertion (Jager and Somorovsky, "How to Break XML Encryption").
  const clear = await decryptAssertion(doc.document, assertion, sps, ALLOWED_ALGORITHMS);
  if (!clear) return refuse('saml_decryption_failed');
  state.clear = clear;
  const verified =
    clear.hasAssertionSignature &&
    verifyEnvelopedSignature(clear.document, clear.assertion, ctx.entities.idpKeys).ok;
  if (!verified || wrappedInside(clear.assertion)) return refuse('saml_decryption_failed');
  useVerified(state, clear.assertion);
  state.assertionSignatureVerified = true;
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
  const [document, assertion, signed] = state.clear
    ? [state.clear.document, state.clear.assertion, state.clear.hasAssertionSignature]
    : [doc.document, doc.assertion, doc.hasAssertionSignature];
  if (!assertion || !signed) return refuse('saml_assertion_unsigned');
  verifyOrRefuse(document, assertion, ctx);
  useVerified(state, assertion);
  state.assertionSignatureVerified = true;
  return Promise.resolve();
}
