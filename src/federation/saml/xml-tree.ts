import {
  ParseOption,
  XmlC14NMode,
  XmlDocument,
  XmlElement,
  XmlXPath,
  type XmlAttribute,
  type XmlNode,
  type XmlOutputBufferHandler,
  type XmlTreeNode,
} from 'libxml2-wasm';
// libxml2's own xmlC14NExecute with a node set (libxml2-wasm 0.7 exports only the
// subtree form, which calls back into JavaScript for every node: 4× slower).
import { canonicalizeDocument } from 'libxml2-wasm/lib/c14n.mjs';

/**
 * The SAML messages as libxml2 trees (libxml2-wasm): one strict parse per message, and the
 * few ways the ACS and the signature verifier walk the tree. Every document parsed here
 * lives in wasm memory until its owner disposes it.
 */

export const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const DS = 'http://www.w3.org/2000/09/xmldsig#';
export const EC = 'http://www.w3.org/2001/10/xml-exc-c14n#';

/** No network, no external entities (the ACS also refuses any DOCTYPE before parsing). */
export const NO_EXTERNAL_INPUT = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

export class MalformedXmlError extends Error {}

/**
 * Parses strictly: any libxml2 error or warning (an undeclared or relative namespace, say)
 * makes the message malformed. The caller owns the document and must dispose it.
 */
export function parseStrict(xml: string): XmlDocument {
  let document: XmlDocument;
  try {
    // The octets of the string the other checks read, as UTF-8 whatever the XML declaration
    // says (Buffer's encoder is native; libxml2-wasm's string path encodes in JavaScript).
    document = XmlDocument.fromBuffer(Buffer.from(xml, 'utf8'), {
      option: NO_EXTERNAL_INPUT | ParseOption.XML_PARSE_IGNORE_ENC,
      encoding: 'UTF-8',
    });
  } catch {
    throw new MalformedXmlError('not well-formed');
  }
  if (document.warnings.length > 0) {
    document.dispose();
    throw new MalformedXmlError('parser warnings');
  }
  return document;
}

export function childElements(node: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let c: XmlTreeNode | null = node.firstChild; c; c = c.next) {
    if (c instanceof XmlElement) out.push(c);
  }
  return out;
}

export const isElement = (node: XmlElement, ns: string, localName: string): boolean =>
  node.name === localName && node.namespaceUri === ns;

export const childrenNamed = (node: XmlElement, ns: string, localName: string): XmlElement[] =>
  childElements(node).filter((c) => isElement(c, ns, localName));

export const childNamed = (node: XmlElement, ns: string, localName: string) =>
  childrenNamed(node, ns, localName)[0];

/** An attribute without a namespace (SAML's and XML-DSig's own attributes), or null. */
export const attributeOf = (node: XmlElement, name: string): string | null =>
  node.attr(name)?.value ?? null;

/** The trimmed text content, or null when empty. */
export const textOf = (node: XmlElement | undefined): string | null => {
  const value = node?.content.trim();
  return value ? value : null;
};

/** Calls visit for the element and each element below it, in document order. */
export function walkElements(node: XmlElement, visit: (element: XmlElement) => void): void {
  visit(node);
  for (let c: XmlTreeNode | null = node.firstChild; c; c = c.next) {
    if (c instanceof XmlElement) walkElements(c, visit);
  }
}

const XPATHS = new Map<string, XmlXPath>();
/**
 * An XPath compiled once per process (libxml2 keeps it; the few constant expressions here
 * are never freed): whole-document questions run in libxml2 rather than as JavaScript
 * walks, which cost a wasm call and a wrapper object per node.
 */
function xpath(expression: string): XmlXPath {
  let compiled = XPATHS.get(expression);
  if (!compiled) {
    compiled = XmlXPath.compile(expression, { ds: DS });
    XPATHS.set(expression, compiled);
  }
  return compiled;
}

/** The number an XPath count() gives, from `node`. */
export const countOf = (node: XmlElement, expression: string): number =>
  node.eval(xpath(expression)) as number;

/** The nodes an XPath selects, from `node`. */
export const select = (node: XmlElement, expression: string): XmlNode[] =>
  node.find(xpath(expression));

export interface Survey {
  /** Elements named Assertion or EncryptedAssertion (in any namespace), the root included. */
  assertions: number;
  comments: number;
  /** SignatureMethod and (Reference) DigestMethod algorithms of every signature. */
  algorithms: string[];
}

/** What the structural checks count in a message (the root element's whole subtree). */
export function surveyOf(root: XmlElement): Survey {
  let assertions = 0;
  let comments = 0;
  for (const node of select(
    root,
    "descendant-or-self::*[local-name()='Assertion' or local-name()='EncryptedAssertion'] | .//comment()",
  )) {
    if (node instanceof XmlElement) assertions += 1;
    else comments += 1;
  }
  return {
    assertions,
    comments,
    // Of signatures only: xenc's EncryptedKey has a ds:DigestMethod too (the OAEP digest).
    algorithms: select(
      root,
      "descendant-or-self::*[local-name()='SignedInfo']/ds:SignatureMethod/@Algorithm | descendant-or-self::*[local-name()='Reference']/ds:DigestMethod/@Algorithm",
    ).map((attribute) => (attribute as XmlAttribute).value),
  };
}

/** How many comments the element's subtree holds. */
export const commentsIn = (node: XmlElement): number => countOf(node, 'count(.//comment())');

/**
 * Collects libxml2's output as bytes (its string handler decodes each chunk alone, which
 * would split a multi-byte character at a chunk's edge: the octets are what is signed).
 */
class ByteCollector implements XmlOutputBufferHandler {
  readonly chunks: Buffer[] = [];
  write(buf: Uint8Array): number {
    this.chunks.push(Buffer.from(buf));
    return buf.byteLength;
  }
  close(): boolean {
    return true;
  }
}

/**
 * The element's subtree in exclusive canonical XML 1.0 (W3C xml-exc-c14n), by libxml2:
 * the namespaces the subtree visibly uses are rendered on its apex, wherever declared.
 */
export function exclusiveC14n(
  document: XmlDocument,
  node: XmlElement,
  options: { withComments: boolean; inclusivePrefixes: string[] },
): Buffer {
  const handler = new ByteCollector();
  canonicalizeDocument(handler, document, {
    mode: XmlC14NMode.XML_C14N_EXCLUSIVE_1_0,
    withComments: options.withComments,
    ...(options.inclusivePrefixes.length
      ? { inclusiveNamespacePrefixes: options.inclusivePrefixes }
      : {}),
    nodeSet: new Set([node]),
  });
  return Buffer.concat(handler.chunks);
}
