import type { XmlDocument, XmlElement } from 'libxml2-wasm';
import {
  attributeOf,
  childElements,
  childNamed,
  DS,
  MalformedXmlError,
  parseStrict,
  SAML,
  SAMLP,
  surveyOf,
  textOf,
} from './xml-tree.js';

export { MalformedXmlError };

/**
 * The shape of a SAML Response as it arrived, before anything in it is trusted, from the
 * one libxml2 parse of the message (the same tree is then schema-validated, its signatures
 * verified, and the assertion read from the verified node). Only the ACS's structural
 * refusals read these fields (status, how many assertions, where the signatures are,
 * comments, algorithms, Destination and the response's InResponseTo): what Latchkey acts
 * on — who signed in, the audience, the recipient, the time window — is read from the
 * verified assertion element instead (assertion-reader.ts).
 */
export interface ResponseDocument {
  /** The XML, as decoded. */
  xml: string;
  /** The parsed tree, owned by the ACS run (disposed when it ends). */
  document: XmlDocument;
  root: XmlElement;
  /** samlp:Status/samlp:StatusCode/@Value and the nested second-level code. */
  status: { top: string | null; second: string | null };
  /** The Response's own Issuer, when it has one. */
  issuer: string | null;
  destination: string | null;
  inResponseTo: string | null;
  /** Elements named Assertion or EncryptedAssertion anywhere (in any namespace). */
  assertions: number;
  /** The one assertion (plain or encrypted) that is a child of the Response, if any. */
  assertion: XmlElement | null;
  /** Whether the one assertion is a direct child of the Response. */
  assertionIsChildOfResponse: boolean;
  encrypted: boolean;
  hasResponseSignature: boolean;
  /**
   * Whether the (plain) assertion carries a Signature as a direct child whose one
   * Reference is the assertion itself (not, say, the Response's signature moved inside).
   */
  hasAssertionSignature: boolean;
  /** XML comments anywhere: canonicalization drops them, so they are never signed. */
  comments: number;
  /** SignatureMethod and (Reference) DigestMethod algorithms of every signature. */
  algorithms: string[];
  dispose(): void;
}

/** Whether `element`'s first ds:Signature child has exactly one Reference, to its own ID. */
function signsItself(element: XmlElement): boolean {
  const signature = childNamed(element, DS, 'Signature');
  const signedInfo = signature ? childNamed(signature, DS, 'SignedInfo') : undefined;
  const references = signedInfo
    ? childElements(signedInfo).filter((c) => c.name === 'Reference')
    : [];
  const id = attributeOf(element, 'ID');
  return references.length === 1 && !!id && attributeOf(references[0]!, 'URI') === `#${id}`;
}

/** Parses the message (the caller disposes it) and reads its shape. */
export function readResponseDocument(xml: string): ResponseDocument {
  const document = parseStrict(xml);
  try {
    const root = document.root;
    if (root.name !== 'Response') throw new MalformedXmlError('not a Response');
    const found = surveyOf(root);

    const children = childElements(root);
    const status = childNamed(root, SAMLP, 'Status');
    const topCode = status ? childNamed(status, SAMLP, 'StatusCode') : undefined;
    const secondCode = topCode ? childNamed(topCode, SAMLP, 'StatusCode') : undefined;
    const assertion =
      children.find((c) => c.name === 'Assertion' || c.name === 'EncryptedAssertion') ?? null;
    return {
      xml,
      document,
      root,
      status: {
        top: topCode ? attributeOf(topCode, 'Value') : null,
        second: secondCode ? attributeOf(secondCode, 'Value') : null,
      },
      issuer: textOf(childNamed(root, SAML, 'Issuer')),
      destination: attributeOf(root, 'Destination') || null,
      inResponseTo: attributeOf(root, 'InResponseTo') || null,
      assertions: found.assertions,
      assertion,
      assertionIsChildOfResponse: assertion !== null,
      encrypted: assertion?.name === 'EncryptedAssertion',
      hasResponseSignature: childNamed(root, DS, 'Signature') !== undefined,
      hasAssertionSignature: assertion?.name === 'Assertion' && signsItself(assertion),
      comments: found.comments,
      algorithms: found.algorithms,
      dispose: () => document.dispose(),
    };
  } catch (error) {
    document.dispose();
    throw error;
  }
}
