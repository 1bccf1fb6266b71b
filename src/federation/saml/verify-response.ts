import samlify from 'samlify';
import type { XmlDocument, XmlElement } from 'libxml2-wasm';
import type { SpEntity } from './saml-entities.js';
import { isSchemaValidDocument } from './schema-validator.js';
import {
  childNamed,
  DS,
  exclusiveC14n,
  isElement,
  parseStrict,
  SAML,
  SAMLP,
  surveyOf,
} from './xml-tree.js';

/**
 * The ACS's decryption of an EncryptedAssertion (samlify's, on the
 * ciphertext of the verified tree), whose clear text is then parsed once, checked, and
 * verified and read by the verifier.
 */

/** A decrypted assertion, parsed once: the caller disposes `document`. */
export interface ClearAssertion {
  document: XmlDocument;
  assertion: XmlElement;
  /** Whether the assertion carries its own signature (a ds:Signature child). */
  hasAssertionSignature: boolean;
}

/**
 * The clear text of the EncryptedAssertion `encrypted` (an element of `document`, which may
 * already be verified) decrypted with the SP's key (then the next key, during a rotation),
 * as an assertion document; null when neither key decrypts it, or when the clear text is
 * not, by itself, one well-formed, schema-valid saml:Assertion without comments and with
 * allowed algorithms only (samlify's parser is lenient: xmldom takes `</b\x10?` for `</b>`).
 */
export async function decryptAssertion(
  document: XmlDocument,
  encrypted: XmlElement,
  sps: SpEntity[],
  allowedAlgorithms: ReadonlySet<string>,
): Promise<ClearAssertion | null> {
  // samlify decrypts the EncryptedAssertion child of a Response: the canonical form of the
  // one from the tree, so what is decrypted is exactly what was (or will be) verified.
  const ciphertext = exclusiveC14n(document, encrypted, {
    withComments: false,
    inclusivePrefixes: [],
  });
  const carrier = `<samlp:Response xmlns:samlp="${SAMLP}">${ciphertext.toString('utf8')}</samlp:Response>`;
  let clearXml: string | null = null;
  for (const sp of sps) {
    try {
      [, clearXml] = await samlify.SamlLib.decryptAssertion(sp, carrier);
      break;
    } catch {
      // Try the next key.
    }
  }
  if (clearXml === null || /<!\s*(DOCTYPE|ENTITY)/i.test(clearXml)) return null;
  let clear: XmlDocument;
  try {
    clear = parseStrict(clearXml);
  } catch {
    return null;
  }
  const root = clear.root;
  const survey = surveyOf(root);
  if (
    !isElement(root, SAML, 'Assertion') ||
    survey.assertions !== 1 ||
    survey.comments > 0 ||
    survey.algorithms.some((a) => !allowedAlgorithms.has(a)) ||
    !isSchemaValidDocument(clear)
  ) {
    clear.dispose();
    return null;
  }
  const hasAssertionSignature = childNamed(root, DS, 'Signature') !== undefined;
  return { document: clear, assertion: root, hasAssertionSignature };
}
