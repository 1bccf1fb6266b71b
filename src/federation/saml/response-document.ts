import { DOMParser, XMLSerializer } from '@xmldom/xmldom';

/**
 * The shape of a SAML Response as it arrived, before anything in it is trusted. Only the
 * ACS's structural refusals read it (status, how many assertions, where the signatures
 * are, comments, algorithms, Destination and the response's InResponseTo): what Latchkey
 * acts on — who signed in, the audience, the recipient, the time window — is read from
 * samlify's extraction of the signed assertion instead (verify-response.ts).
 */
export interface ResponseDocument {
  /** The XML, as decoded. */
  xml: string;
  /** samlp:Status/samlp:StatusCode/@Value and the nested second-level code. */
  status: { top: string | null; second: string | null };
  /** The Response's own Issuer, when it has one. */
  issuer: string | null;
  destination: string | null;
  inResponseTo: string | null;
  /** Elements named Assertion or EncryptedAssertion anywhere (in any namespace). */
  assertions: number;
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
  /** The XML without the Response's own Signature (to verify the assertion's alone). */
  withoutResponseSignature(): string;
}

export class MalformedXmlError extends Error {}

const ELEMENT = 1;
const COMMENT = 8;
const DS = 'http://www.w3.org/2000/09/xmldsig#';

type XNode = {
  nodeType: number;
  localName: string | null;
  namespaceURI: string | null;
  parentNode: XNode | null;
  childNodes: { length: number; [i: number]: XNode };
  textContent: string | null;
  getAttribute(name: string): string | null;
  removeChild(node: XNode): void;
};

const childElements = (node: XNode): XNode[] => {
  const out: XNode[] = [];
  for (let i = 0; i < node.childNodes.length; i++) {
    const child = node.childNodes[i]!;
    if (child.nodeType === ELEMENT) out.push(child);
  }
  return out;
};
const child = (node: XNode, localName: string): XNode | undefined =>
  childElements(node).find((c) => c.localName === localName);

function walk(node: XNode, visit: (node: XNode) => void): void {
  visit(node);
  // Text, comment and attribute nodes have no children (xmldom gives them null).
  const children = node.childNodes as XNode['childNodes'] | null;
  if (!children) return;
  for (let i = 0; i < children.length; i++) walk(children[i]!, visit);
}

/** Parses strictly: any parser warning or error makes the message malformed. */
function parse(xml: string): { documentElement: XNode | null } {
  const problems: string[] = [];
  const record = (message: string) => problems.push(String(message));
  let doc: { documentElement: XNode | null } | null = null;
  try {
    doc = new DOMParser({
      errorHandler: { warning: record, error: record, fatalError: record },
    }).parseFromString(xml, 'text/xml') as unknown as { documentElement: XNode | null };
  } catch (error) {
    record(error instanceof Error ? error.message : String(error));
  }
  if (problems.length || !doc?.documentElement) throw new MalformedXmlError('not well-formed');
  return doc;
}

/** Whether `signature` has exactly one Reference, and it is to `element`'s ID. */
function signsItself(element: XNode, signature: XNode | undefined): boolean {
  const signedInfo = signature ? child(signature, 'SignedInfo') : undefined;
  const references = signedInfo
    ? childElements(signedInfo).filter((c) => c.localName === 'Reference')
    : [];
  const id = element.getAttribute('ID');
  return references.length === 1 && !!id && references[0]!.getAttribute('URI') === `#${id}`;
}

export function readResponseDocument(xml: string): ResponseDocument {
  const doc = parse(xml);
  const root = doc.documentElement!;
  if (root.localName !== 'Response') throw new MalformedXmlError('not a Response');

  let assertions = 0;
  let comments = 0;
  const algorithms: string[] = [];
  walk(root, (node) => {
    if (node.nodeType === COMMENT) comments += 1;
    if (node.nodeType !== ELEMENT) return;
    if (node.localName === 'Assertion' || node.localName === 'EncryptedAssertion') assertions += 1;
    // Of signatures only: xenc's EncryptedKey has a ds:DigestMethod too (the OAEP digest).
    const parent = node.parentNode?.localName;
    if (
      node.namespaceURI === DS &&
      ((node.localName === 'SignatureMethod' && parent === 'SignedInfo') ||
        (node.localName === 'DigestMethod' && parent === 'Reference'))
    ) {
      algorithms.push(node.getAttribute('Algorithm') ?? '');
    }
  });

  const status = child(root, 'Status');
  const topCode = status ? child(status, 'StatusCode') : undefined;
  const secondCode = topCode ? child(topCode, 'StatusCode') : undefined;
  const assertion = childElements(root).find(
    (c) => c.localName === 'Assertion' || c.localName === 'EncryptedAssertion',
  );
  const responseSignature = child(root, 'Signature');

  return {
    xml,
    status: {
      top: topCode?.getAttribute('Value') ?? null,
      second: secondCode?.getAttribute('Value') ?? null,
    },
    issuer: child(root, 'Issuer')?.textContent?.trim() ?? null,
    destination: root.getAttribute('Destination') || null,
    inResponseTo: root.getAttribute('InResponseTo') || null,
    assertions,
    assertionIsChildOfResponse: assertion !== undefined,
    encrypted: assertion?.localName === 'EncryptedAssertion',
    hasResponseSignature: responseSignature !== undefined,
    hasAssertionSignature:
      assertion?.localName === 'Assertion' && signsItself(assertion, child(assertion, 'Signature')),
    comments,
    algorithms,
    withoutResponseSignature() {
      if (!responseSignature) return xml;
      const copy = parse(xml).documentElement!;
      copy.removeChild(child(copy, 'Signature')!);
      return new XMLSerializer().serializeToString(copy as never);
    },
  };
}
