import { DOMParser } from '@xmldom/xmldom';
import samlify from 'samlify';
import { MalformedXmlError } from './response-document.js';
import { RSA_SHA256, type IdpEntity, type SpEntity } from './saml-entities.js';

/**
 * samlify's XML signature verification and extraction, the only source of what a SAML
 * assertion says.
 *
 * How samlify picks the key (libsaml.verifySignature, samlify 2.13.1): it looks at the
 * Response's own Signature, then the Assertion's (absolute XPaths, so a signature moved
 * elsewhere is never considered), and refuses outright an Assertion or Signature inside
 * SubjectConfirmationData (a known wrapping shape). For each signature, when it carries a
 * ds:X509Certificate in KeyInfo, that certificate must equal one from the metadata
 * (ERROR_UNMATCH_CERTIFICATE_DECLARATION_IN_METADATA otherwise) and is then used; without
 * one, the first metadata certificate is used. xml-crypto is constructed without a
 * KeyInfo resolver, so a certificate in KeyInfo is never trusted by itself. The metadata
 * here is always the connection's own list (never empty), tried one certificate at a
 * time. On success samlify returns the signed content as xml-crypto canonicalized it
 * (comments dropped, the enveloped signature removed), re-parsed: the assertion of a
 * signed Response, or the signed Assertion.
 */
export type SignatureOutcome =
  | { ok: true; signedXml: string }
  | {
      ok: false;
      reason: 'saml_signature_invalid' | 'saml_certificate_unknown' | 'saml_signature_wrapping';
    };

export function verifySignature(xml: string, idpPerCertificate: IdpEntity[]): SignatureOutcome {
  let foreign = 0;
  for (const idp of idpPerCertificate) {
    try {
      const [verified, signedXml] = samlify.SamlLib.verifySignature(xml, {
        metadata: idp.entityMeta,
        signatureAlgorithm: RSA_SHA256,
      });
      if (verified && signedXml) return { ok: true, signedXml };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message === 'ERR_POTENTIAL_WRAPPING_ATTACK')
        return { ok: false, reason: 'saml_signature_wrapping' };
      if (message === 'ERROR_UNMATCH_CERTIFICATE_DECLARATION_IN_METADATA') foreign += 1;
      // Anything else xml-crypto throws (no references, bad transforms…) is a bad signature.
    }
  }
  return {
    ok: false,
    reason:
      foreign > 0 && foreign === idpPerCertificate.length
        ? 'saml_certificate_unknown'
        : 'saml_signature_invalid',
  };
}

/**
 * Decrypts the one EncryptedAssertion of a Response with the SP's key (then the next
 * key, during a rotation). Returns the Response with the assertion in clear, and the
 * assertion alone; null when neither key decrypts it.
 */
export async function decryptAssertion(
  xml: string,
  sps: SpEntity[],
): Promise<{ responseXml: string; assertionXml: string } | null> {
  for (const sp of sps) {
    try {
      const [responseXml, assertionXml] = await samlify.SamlLib.decryptAssertion(sp, xml);
      return { responseXml, assertionXml };
    } catch {
      // Try the next key.
    }
  }
  return null;
}

/** What a verified assertion says, as samlify's extractor reads it. */
export interface AssertionFacts {
  id: string | null;
  issuer: string | null;
  nameId: string | null;
  nameIdFormat: string | null;
  /** Each SubjectConfirmation with its SubjectConfirmationData. */
  subjectConfirmations: Array<{
    method: string | null;
    recipient: string | null;
    notBefore: string | null;
    notOnOrAfter: string | null;
    inResponseTo: string | null;
  }>;
  conditions: Array<{ notBefore: string | null; notOnOrAfter: string | null }>;
  /** The audiences of each AudienceRestriction. */
  audienceRestrictions: string[][];
  authnStatements: Array<{ sessionIndex: string | null; sessionNotOnOrAfter: string | null }>;
  attributes: Record<string, string[]>;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/*
 * The signed assertion is read with one parse. Each reading below is what samlify's
 * Extractor (2.13.1, extractor.ts) returned for the field Latchkey used to ask it for —
 * its XPaths select children by local-name, so do these — without its parse of the whole
 * assertion and of every sub-element again for each field (about 2 ms of a 25 ms ACS).
 * test/federation/saml-read-assertion.test.ts compares both on assertions of every shape.
 */
const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

type ANode = {
  nodeType: number;
  localName: string | null;
  nodeName: string;
  nodeValue: string | null;
  firstChild: ANode | null;
  childNodes: { length: number; [i: number]: ANode };
  attributes?: { length: number; [i: number]: ANode };
};

const childrenNamed = (nodes: ANode[], localName: string): ANode[] =>
  nodes.flatMap((node) => {
    const out: ANode[] = [];
    for (let i = 0; i < node.childNodes.length; i++) {
      const child = node.childNodes[i]!;
      if (child.nodeType === ELEMENT && child.localName === localName) out.push(child);
    }
    return out;
  });
/** `path/…` of the Extractor: each step selects the children with that local name. */
const select = (from: ANode[], ...path: string[]): ANode[] =>
  path.reduce((nodes, step) => childrenNamed(nodes, step), from);

/** XPath text(): the text (and CDATA) children, in document order. */
const textNodes = (node: ANode): ANode[] => {
  const out: ANode[] = [];
  for (let i = 0; i < node.childNodes.length; i++) {
    const child = node.childNodes[i]!;
    if (child.nodeType === TEXT || child.nodeType === CDATA) out.push(child);
  }
  return out;
};

/**
 * A field with no attributes: the first text child of the one element found
 * (`string(path/text())`); with several, each one's first child's value (a list, which
 * the callers treat as no value); with none, null.
 */
function textOf(nodes: ANode[]): string | Array<string | null> | null {
  if (nodes.length === 1) return textNodes(nodes[0]!)[0]?.nodeValue ?? '';
  if (nodes.length > 1)
    return nodes.filter((n) => n.firstChild).map((n) => n.firstChild!.nodeValue);
  return null;
}

/** A field with one attribute: its value on the first element (in order) that has it. */
function attributeOf(nodes: ANode[], name: string): string | undefined {
  for (const node of nodes) {
    const attributes = node.attributes!;
    for (let i = 0; i < attributes.length; i++) {
      if (attributes[i]!.nodeName === name) return attributes[i]!.nodeValue ?? '';
    }
  }
  return undefined;
}

/** A field with several attributes: per element, those of the names given (camelCased). */
function attributeRecords(nodes: ANode[], names: string[]): Array<Record<string, string>> {
  return nodes.map((node) => {
    const record: Record<string, string> = {};
    const attributes = node.attributes!;
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes[i]!;
      if (names.includes(attribute.nodeName))
        record[attribute.nodeName.charAt(0).toLowerCase() + attribute.nodeName.slice(1)] =
          attribute.nodeValue ?? '';
    }
    return record;
  });
}

/** The root element, parsed strictly (what samlify returned is always well-formed). */
function parseSigned(xml: string): ANode {
  let failed = false;
  const fail = () => (failed = true);
  const doc = new DOMParser({
    errorHandler: { warning: fail, error: fail, fatalError: fail },
  }).parseFromString(xml, 'text/xml') as unknown as { documentElement: ANode | null };
  if (failed || !doc.documentElement) throw new MalformedXmlError('signed assertion');
  return doc.documentElement;
}

/** Reads an assertion that samlify returned as signed; never a document from the wire. */
export function readAssertion(signedAssertionXml: string): AssertionFacts {
  const root = parseSigned(signedAssertionXml);
  // `/Assertion`: the root, when it is one.
  const assertion = root.localName === 'Assertion' ? [root] : [];
  const subject = select(assertion, 'Subject');
  const nameIds = select(subject, 'NameID');

  const subjectConfirmations = select(subject, 'SubjectConfirmation').map((confirmation) => {
    const data = attributeRecords(select([confirmation], 'SubjectConfirmationData'), [
      'Recipient',
      'NotBefore',
      'NotOnOrAfter',
      'InResponseTo',
    ]);
    // Several SubjectConfirmationData in one confirmation are ambiguous: none counts.
    const one = data.length === 1 ? data[0]! : {};
    return {
      method: text(attributeOf([confirmation], 'Method')),
      recipient: text(one.recipient),
      notBefore: text(one.notBefore),
      notOnOrAfter: text(one.notOnOrAfter),
      inResponseTo: text(one.inResponseTo),
    };
  });

  const conditionsNodes = select(assertion, 'Conditions');
  const conditions = conditionsNodes.map((node) => {
    const c = attributeRecords([node], ['NotBefore', 'NotOnOrAfter'])[0];
    return { notBefore: text(c?.notBefore), notOnOrAfter: text(c?.notOnOrAfter) };
  });
  const audienceRestrictions = select(conditionsNodes, 'AudienceRestriction').map((restriction) => {
    const audiences = textOf(select([restriction], 'Audience'));
    return (Array.isArray(audiences) ? audiences : audiences === null ? [] : [audiences])
      .map(text)
      .filter((v): v is string => v !== null);
  });

  const authnStatements = select(assertion, 'AuthnStatement').map((statement) => {
    const s = attributeRecords([statement], ['SessionIndex', 'SessionNotOnOrAfter'])[0];
    return {
      sessionIndex: text(s?.sessionIndex),
      sessionNotOnOrAfter: text(s?.sessionNotOnOrAfter),
    };
  });

  // Each Attribute's Name, and the text children of its AttributeValues; values of
  // Attributes of the same Name are joined, in order.
  const attributes: Record<string, string[]> = {};
  const attributeNodes = select(assertion, 'AttributeStatement', 'Attribute');
  const names = attributeNodes
    .map((node) => attributeOf([node], 'Name'))
    .filter((name): name is string => name !== undefined);
  names.forEach((name, i) => {
    // The schema requires Name; without one, the Extractor pairs names and values by
    // position, which the schema check has already refused. An own property never
    // called __proto__, as a plain object's assignment would not make one either.
    if (name === '__proto__') return;
    const values = select([attributeNodes[i]!], 'AttributeValue')
      .flatMap(textNodes)
      .map((n) => n.nodeValue ?? '');
    attributes[name] = [...(Object.hasOwn(attributes, name) ? attributes[name]! : []), ...values];
  });

  const issuer = textOf(select(assertion, 'Issuer'));
  const nameId = textOf(nameIds);
  return {
    id: text(attributeOf(assertion, 'ID')),
    issuer: typeof issuer === 'string' ? text(issuer) : null,
    nameId: typeof nameId === 'string' ? text(nameId) : null,
    nameIdFormat: text(attributeOf(nameIds, 'Format')),
    subjectConfirmations,
    conditions,
    audienceRestrictions,
    authnStatements,
    attributes,
  };
}
