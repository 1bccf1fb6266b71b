import { constants, createHash, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { XmlAttribute, XmlDocument, XmlElement } from 'libxml2-wasm';
import {
  attributeOf,
  childElements,
  childrenNamed,
  commentsIn,
  DS,
  EC,
  exclusiveC14n,
  isElement,
  select,
  walkElements,
} from './xml-tree.js';

/**
 * The strict XML signature verifier of inbound SAML messages (XML-DSig 1.1 core, SAML 2.0
 * Core §5.4, saml-sec-consider): one enveloped signature, a direct child of the element it
 * signs, read from the tree libxml2 already parsed (no second parse, no search by ID across
 * the document), canonicalised by libxml2, digests and signatures by node:crypto.
 *
 * The profile (docs/saml-signature-profile.md); anything else is refused:
 * - the signed element has exactly one ds:Signature child; no comment anywhere in its
 *   subtree (a bare-name reference never signs one);
 * - ds:Signature holds SignedInfo, SignatureValue and an optional KeyInfo, nothing else;
 * - SignedInfo holds CanonicalizationMethod (exclusive C14N, with or without comments,
 *   optional InclusiveNamespaces), SignatureMethod (RSA-SHA256/384/512, RSA-PSS-SHA256,
 *   ECDSA-SHA256/384/512) and exactly one Reference;
 * - the Reference's URI is `#` + the signed element's own ID, an ID that occurs exactly once
 *   among the document's ID attributes (ID, Id, id in any namespace); no other signature
 *   in the document carries the same SignatureValue; its transforms are
 *   exactly enveloped-signature then exclusive C14N; its digest SHA-256/384/512;
 * - the key is one of the connection's certificates: a certificate in KeyInfo is never
 *   trusted by itself, it must be one of them (then only it is tried).
 *
 * The enveloped-signature transform is applied by removing the ds:Signature element from
 * the tree once SignedInfo is canonicalised (the caller's document is changed: an outer
 * signature must be verified before an inner one, as the ACS does).
 */

export interface TrustedKey {
  /** The certificate's base64 DER body, whitespace removed (as in KeyInfo). */
  certificateBody: string;
  publicKey: KeyObject;
}

export type SignatureRefusal =
  | 'saml_signature_invalid'
  | 'saml_certificate_unknown'
  | 'saml_signature_wrapping'
  | 'saml_signature_algorithm_weak'
  | 'saml_signature_unsupported'
  | 'saml_xml_comment_forbidden';

export type SignatureOutcome =
  { ok: true; key: TrustedKey } | { ok: false; reason: SignatureRefusal; detail: string };

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const EXC_C14N_WITH_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** Digest algorithm URI → node:crypto hash (XML-Enc 1.1 §5.7, RFC 6931 §2.1). */
export const DIGESTS: Record<string, string> = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

type SignatureScheme = { hash: string; key: 'rsa' | 'rsa-pss' | 'ec' };
/** Signature algorithm URI → scheme (RFC 6931 §2.3; RSA-PSS with a salt the digest's size). */
export const SIGNATURES: Record<string, SignatureScheme> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', key: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', key: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', key: 'rsa' },
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': { hash: 'sha256', key: 'rsa-pss' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', key: 'ec' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { hash: 'sha384', key: 'ec' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { hash: 'sha512', key: 'ec' },
};

class Refusal extends Error {
  constructor(
    readonly reason: SignatureRefusal,
    readonly detail: string,
  ) {
    super(detail);
  }
}
const refuse = (reason: SignatureRefusal, detail: string): never => {
  throw new Refusal(reason, detail);
};

/** The element's children, which must be exactly these XML-DSig elements in this order. */
function shaped(node: XmlElement, names: Array<string | [string, 'optional']>): XmlElement[] {
  const children = childElements(node);
  const out: XmlElement[] = [];
  let at = 0;
  for (const entry of names) {
    const [name, optional] = typeof entry === 'string' ? [entry, false] : [entry[0], true];
    const child = children[at];
    if (child && isElement(child, DS, name)) {
      out.push(child);
      at += 1;
    } else if (!optional) {
      refuse('saml_signature_unsupported', `${node.name}_shape`);
    }
  }
  if (at !== children.length) refuse('saml_signature_unsupported', `${node.name}_shape`);
  return out;
}

const algorithmOf = (node: XmlElement) => attributeOf(node, 'Algorithm') ?? '';

/** An exclusive C14N method's options, from its Algorithm and ec:InclusiveNamespaces. */
function c14nOptions(method: XmlElement): { withComments: boolean; inclusivePrefixes: string[] } {
  const algorithm = algorithmOf(method);
  if (algorithm !== EXC_C14N && algorithm !== EXC_C14N_WITH_COMMENTS)
    refuse('saml_signature_unsupported', 'c14n_algorithm');
  const children = childElements(method);
  if (children.length > 1 || (children[0] && !isElement(children[0], EC, 'InclusiveNamespaces')))
    refuse('saml_signature_unsupported', 'c14n_parameters');
  const prefixList = children[0] ? (attributeOf(children[0], 'PrefixList') ?? '') : '';
  return {
    withComments: algorithm === EXC_C14N_WITH_COMMENTS,
    inclusivePrefixes: prefixList.split(/[ \t\r\n]+/).filter((p) => p !== ''),
  };
}

/** An ID fit to compare as written: an NCName of ASCII letters, digits, `_ . -`. */
const PLAIN_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Over the whole document (in libxml2, once a document: the ACS verifies two signatures
 * of one tree): how many attributes named ID, Id or id (any namespace) hold each value, and
 * how many ds:SignatureValue elements carry each value (a signature copied elsewhere, as
 * wrapping attacks do; xml-crypto refuses that too). Counted before any signature leaves
 * the tree, so a later count can only be higher: stricter, never looser.
 */
const CENSUS = new WeakMap<
  XmlDocument,
  { ids: Map<string, number>; values: Map<string, number> }
>();
function census(document: XmlDocument) {
  let found = CENSUS.get(document);
  if (!found) {
    const root = document.root;
    const tally = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    found = { ids: new Map(), values: new Map() };
    for (const a of select(
      root,
      "//@*[local-name()='ID' or local-name()='Id' or local-name()='id']",
    ))
      tally(found.ids, (a as XmlAttribute).value);
    for (const v of select(root, '//ds:SignatureValue'))
      tally(found.values, squeezed(v as XmlElement));
    CENSUS.set(document, found);
  }
  return found;
}

const squeezed = (node: XmlElement) => node.content.replace(/[ \t\r\n]+/g, '');

const base64Of = (node: XmlElement, what: string): Buffer => {
  const text = squeezed(node);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0)
    refuse('saml_signature_invalid', `${what}_encoding`);
  return Buffer.from(text, 'base64');
};

/** The Reference: to the signed element itself, enveloped then exclusive C14N; its digest. */
function checkReference(
  document: XmlDocument,
  signed: XmlElement,
  reference: XmlElement,
  signatureValue: XmlElement,
) {
  const id = attributeOf(signed, 'ID');
  if (!id || !PLAIN_ID.test(id)) return refuse('saml_signature_wrapping', 'signed_element_id');
  if (attributeOf(reference, 'URI') !== `#${id}`)
    refuse('saml_signature_wrapping', 'reference_uri');
  const { ids, values } = census(document);
  if (ids.get(id) !== 1) refuse('saml_signature_wrapping', 'id_not_unique');
  if (values.get(squeezed(signatureValue)) !== 1)
    refuse('saml_signature_wrapping', 'signature_copied');
  const [transforms, digestMethod, digestValue] = shaped(reference, [
    'Transforms',
    'DigestMethod',
    'DigestValue',
  ]) as [XmlElement, XmlElement, XmlElement];
  const steps = childElements(transforms);
  if (
    steps.length !== 2 ||
    !steps.every((s) => isElement(s, DS, 'Transform')) ||
    algorithmOf(steps[0]!) !== ENVELOPED ||
    childElements(steps[0]!).length !== 0
  ) {
    refuse('saml_signature_unsupported', 'transforms');
  }
  const c14n = c14nOptions(steps[1]!);
  if (childElements(digestMethod).length !== 0)
    refuse('saml_signature_unsupported', 'digest_parameters');
  const hash =
    DIGESTS[algorithmOf(digestMethod)] ?? refuse('saml_signature_algorithm_weak', 'digest');
  return { c14n, hash, expected: base64Of(digestValue, 'digest') };
}

/** The keys to try: the KeyInfo certificate when it is one of the connection's, else all. */
function keysFor(keyInfo: XmlElement | undefined, keys: TrustedKey[]): TrustedKey[] {
  if (keys.length === 0) return refuse('saml_certificate_unknown', 'no_configured_key');
  let declared: string | null = null;
  if (keyInfo) {
    walkElements(keyInfo, (element) => {
      if (declared === null && isElement(element, DS, 'X509Certificate'))
        declared = element.content.replace(/[ \t\r\n]+/g, '');
    });
  }
  if (declared === null) return keys;
  const match = keys.filter((k) => k.certificateBody === declared);
  if (match.length === 0) refuse('saml_certificate_unknown', 'keyinfo_certificate');
  return match;
}

function signatureVerifies(
  scheme: SignatureScheme,
  data: Buffer,
  key: KeyObject,
  value: Buffer,
): boolean {
  const type = key.asymmetricKeyType;
  try {
    if (scheme.key === 'ec')
      return type === 'ec' && verify(scheme.hash, data, { key, dsaEncoding: 'ieee-p1363' }, value);
    if (scheme.key === 'rsa-pss')
      return (
        (type === 'rsa' || type === 'rsa-pss') &&
        verify(
          scheme.hash,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          value,
        )
      );
    return type === 'rsa' && verify(scheme.hash, data, key, value);
  } catch {
    return false;
  }
}

function verifyOrThrow(document: XmlDocument, signed: XmlElement, keys: TrustedKey[]): TrustedKey {
  const signatures = childrenNamed(signed, DS, 'Signature');
  if (signatures.length === 0) return refuse('saml_signature_invalid', 'unsigned');
  if (signatures.length !== 1) refuse('saml_signature_wrapping', 'signature_count');
  if (commentsIn(signed) > 0) refuse('saml_xml_comment_forbidden', 'comment');
  const signature = signatures[0]!;
  const [signedInfo, signatureValue, keyInfo] = shaped(signature, [
    'SignedInfo',
    'SignatureValue',
    ['KeyInfo', 'optional'],
  ]) as [XmlElement, XmlElement, XmlElement | undefined];
  const signedInfoChildren = childElements(signedInfo);
  const references = signedInfoChildren.filter((c) => isElement(c, DS, 'Reference'));
  if (references.length !== 1) refuse('saml_signature_wrapping', 'reference_count');
  const [c14nMethod, signatureMethod] = shaped(signedInfo, [
    'CanonicalizationMethod',
    'SignatureMethod',
    'Reference',
  ]) as [XmlElement, XmlElement, XmlElement];
  const signedInfoC14n = c14nOptions(c14nMethod);
  if (childElements(signatureMethod).length !== 0)
    refuse('saml_signature_unsupported', 'signature_parameters');
  const scheme =
    SIGNATURES[algorithmOf(signatureMethod)] ??
    refuse('saml_signature_algorithm_weak', 'signature');
  const reference = checkReference(document, signed, references[0]!, signatureValue);
  const candidates = keysFor(keyInfo, keys);
  const value = base64Of(signatureValue, 'signature');

  const signedInfoOctets = exclusiveC14n(document, signedInfo, signedInfoC14n);
  const key = candidates.find((k) =>
    signatureVerifies(scheme, signedInfoOctets, k.publicKey, value),
  );
  if (!key) return refuse('saml_signature_invalid', 'signature_value');
  // The enveloped-signature transform (XML-DSig §6.6.4): the signature leaves the tree.
  signature.remove();
  const digest = createHash(reference.hash)
    .update(exclusiveC14n(document, signed, reference.c14n))
    .digest();
  if (digest.length !== reference.expected.length || !timingSafeEqual(digest, reference.expected))
    refuse('saml_signature_invalid', 'digest_value');
  return key;
}

/**
 * Verifies the enveloped signature of `signed` (an element of `document`) with one of the
 * connection's keys. On success the signature has been removed from the tree and `signed`
 * is exactly what the signature covers: read from it, never from a second search.
 */
export function verifyEnvelopedSignature(
  document: XmlDocument,
  signed: XmlElement,
  keys: TrustedKey[],
): SignatureOutcome {
  try {
    return { ok: true, key: verifyOrThrow(document, signed, keys) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, detail: error.detail };
    // libxml2 failing to canonicalise: nothing is verified.
    return { ok: false, reason: 'saml_signature_invalid', detail: 'c14n_failed' };
  }
}
