import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

/**
 * The reference the strict verifier is measured against: what Latchkey's ACS and SLO did
 * before it, samlify 2.13.1's SamlLib.verifySignature over xml-crypto 6.3 — here the same
 * selection and the same xml-crypto calls without samlify's second parse and re-serialization
 * of the signed content (twice as fast, for the differential test's corpus):
 * - the signatures considered are the root's own Signature children, then those of its
 *   Assertion children (samlify's absolute XPaths, by local name);
 * - an Assertion or Signature anywhere under an assertion's SubjectConfirmationData is
 *   refused as wrapping;
 * - per metadata certificate (the ACS tried one certificate at a time): a certificate in the
 *   signature's KeyInfo must be that certificate, else this certificate is refused outright;
 *   xml-crypto's checkSignature returning false (a digest that does not match) moves on to
 *   the next signature, throwing (a SignatureValue that does not verify, anything
 *   unsupported) refuses with this certificate.
 * On success, the signed element as xml-crypto canonicalized it.
 */

type Node = {
  nodeType: number;
  localName: string | null;
  childNodes: { length: number; [i: number]: Node } | null;
  textContent: string | null;
};

const elements = (node: Node): Node[] => {
  const out: Node[] = [];
  const children = node.childNodes;
  for (let i = 0; children && i < children.length; i++) {
    if (children[i]!.nodeType === 1) out.push(children[i]!);
  }
  return out;
};
const named = (node: Node, localName: string) =>
  elements(node).filter((c) => c.localName === localName);
function descendants(node: Node, visit: (n: Node) => void): void {
  for (const c of elements(node)) {
    visit(c);
    descendants(c, visit);
  }
}

const normalized = (cert: string) =>
  cert
    .replace(/\n/g, '')
    .replace(/\r/g, '')
    .replace('-----BEGIN CERTIFICATE-----', '')
    .replace('-----END CERTIFICATE-----', '')
    .replace(/ /g, '')
    .replace(/\t/g, '');
const pemOf = (body: string) =>
  `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----`;

/** The signed element's canonical XML when a signature verifies; null when none does. */
export function xmlCryptoVerify(xml: string, certificatesPem: string[]): string | null {
  let doc: { documentElement: Node | null; toString(): string };
  try {
    doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(
      xml,
      'text/xml',
    ) as never;
  } catch {
    return null;
  }
  const root = doc.documentElement;
  if (!root?.localName || !/Response|Request/.test(root.localName)) return null;
  const selection = [
    ...named(root, 'Signature'),
    ...named(root, 'Assertion').flatMap((a) => named(a, 'Signature')),
  ];
  let wrapped = false;
  if (root.localName.includes('Response')) {
    for (const a of named(root, 'Assertion'))
      for (const s of named(a, 'Subject'))
        for (const sc of named(s, 'SubjectConfirmation'))
          for (const data of named(sc, 'SubjectConfirmationData'))
            descendants(data, (n) => {
              if (n.localName === 'Assertion' || n.localName === 'Signature') wrapped = true;
            });
  }
  if (wrapped || selection.length === 0) return null;
  const serialized = doc.toString();
  for (const certificate of certificatesPem.map(normalized)) {
    try {
      for (const signature of selection) {
        let declared: Node | undefined;
        descendants(signature, (n) => {
          if (!declared && n.localName === 'X509Certificate') declared = n;
        });
        const x509 = declared ? normalized(declared.textContent ?? '') : certificate;
        if (x509.trim() !== certificate.trim()) throw new Error('certificate not in metadata');
        const sig = new SignedXml({ publicCert: pemOf(x509) });
        sig.loadSignature(signature as never);
        if (!sig.checkSignature(serialized)) continue;
        const signed = sig.getSignedReferences()[0];
        if (signed === undefined) throw new Error('no signed reference');
        return signed;
      }
    } catch {
      // Refused with this certificate; the next one is tried.
    }
  }
  return null;
}

/**
 * Whether the old ACS decrypted before verifying: a Response without its own Signature
 * whose assertion child is an EncryptedAssertion (by local names, as it read them).
 */
export function decryptsFirst(xml: string): boolean {
  let root: Node | null;
  try {
    root = (
      new DOMParser({ errorHandler: () => undefined }).parseFromString(
        xml,
        'text/xml',
      ) as never as {
        documentElement: Node | null;
      }
    ).documentElement;
  } catch {
    return false;
  }
  if (!root) return false;
  const assertion = elements(root).find(
    (c) => c.localName === 'Assertion' || c.localName === 'EncryptedAssertion',
  );
  return assertion?.localName === 'EncryptedAssertion' && named(root, 'Signature').length === 0;
}

/**
 * What samlify made of the signed content of a Response (its one Assertion child, or the
 * Response itself around EncryptedAssertions; nothing else counted as verified) and the
 * NameID the ACS then read from it.
 */
export function samlifyResult(signedXml: string): { accepted: boolean; nameId?: string | null } {
  const root = (
    new DOMParser().parseFromString(signedXml, 'text/xml') as never as {
      documentElement: Node | null;
    }
  ).documentElement;
  if (!root) return { accepted: false };
  const assertions = root.localName === 'Assertion' ? [root] : named(root, 'Assertion');
  if (assertions.length !== 1)
    return {
      accepted: root.localName === 'Response' && named(root, 'EncryptedAssertion').length > 0,
    };
  const nameId = named(assertions[0]!, 'Subject').flatMap((s) => named(s, 'NameID'))[0];
  return { accepted: true, nameId: nameId?.textContent?.trim() || null };
}
