import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { AppError } from '../platform/errors.js';

/**
 * Reading an IdP's SAML metadata (SAML 2.0 Metadata, OASIS saml-metadata-2.0-os) for the
 * few things an SP needs: the IdP's entity id, its SSO and SLO endpoints for the
 * HTTP-Redirect binding, and its signing certificates. The document is untrusted:
 * bounded in size, refused outright when it has a DOCTYPE or entity declarations (XXE,
 * entity expansion), and refused on any parser warning or error.
 */

export const MAX_METADATA_BYTES = 256 * 1024;

const MD_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const HTTP_REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  sloUrl: string | null;
  /** Base64 DER, as in ds:X509Certificate; checked by the caller. */
  certificates: string[];
}

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', 'The request body is invalid.', {
    fields: [{ field, message }],
  });

/** No DOCTYPE and no entity declaration, in any case or spacing the parser would accept. */
export function assertNoDoctype(xml: string, field: string): void {
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(xml)) {
    throw new AppError(
      'xml_doctype_forbidden',
      'XML with a DOCTYPE or entity declarations is refused.',
      { fields: [{ field, message: 'must not contain <!DOCTYPE or <!ENTITY' }] },
    );
  }
}

type XmlElement = {
  localName: string | null;
  namespaceURI: string | null;
  getAttribute(name: string): string | null;
  childNodes: { length: number; [index: number]: unknown };
  getElementsByTagNameNS(ns: string, name: string): { length: number; [index: number]: unknown };
  textContent: string | null;
};

const ELEMENT_NODE = 1;
const children = (parent: XmlElement, ns: string, localName: string): XmlElement[] => {
  const out: XmlElement[] = [];
  for (let i = 0; i < parent.childNodes.length; i++) {
    const node = parent.childNodes[i] as XmlElement & { nodeType: number };
    if (node.nodeType === ELEMENT_NODE && node.namespaceURI === ns && node.localName === localName)
      out.push(node);
  }
  return out;
};
const descendants = (parent: XmlElement, ns: string, localName: string): XmlElement[] => {
  const list = parent.getElementsByTagNameNS(ns, localName);
  return Array.from({ length: list.length }, (_, i) => list[i] as XmlElement);
};

function parseXml(xml: string, field: string): XmlElement {
  const problems: string[] = [];
  const record = (message: string) => {
    const line = String(message).split('\n')[0]!;
    problems.push(line.replace(/^\[xmldom \w+\]\s*/, '').slice(0, 200));
  };
  let root: XmlElement | null = null;
  try {
    const doc = new DOMParser({
      errorHandler: { warning: record, error: record, fatalError: record },
    }).parseFromString(xml, 'text/xml') as unknown as {
      documentElement: XmlElement | null;
      doctype: unknown;
    };
    if (doc.doctype) problems.push('a DOCTYPE is not allowed');
    root = doc.documentElement;
  } catch (error) {
    record(error instanceof Error ? error.message : String(error));
  }
  if (problems.length || !root) {
    throw invalid(field, `is not well-formed XML (${problems[0] ?? 'no document element'})`);
  }
  return root;
}

/** Extracts the IdP's entity id, endpoints and signing certificates from metadata XML. */
export function parseIdpMetadata(xml: string, field: string): IdpMetadata {
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES) {
    throw invalid(field, `must be at most ${MAX_METADATA_BYTES / 1024} KB`);
  }
  assertNoDoctype(xml, field);
  const root = parseXml(xml, field);

  const entities =
    root.namespaceURI === MD_NS && root.localName === 'EntityDescriptor'
      ? [root]
      : descendants(root, MD_NS, 'EntityDescriptor');
  const idps = entities.filter((e) => children(e, MD_NS, 'IDPSSODescriptor').length > 0);
  if (idps.length === 0) {
    throw invalid(field, 'holds no EntityDescriptor with an IDPSSODescriptor');
  }
  if (idps.length > 1) {
    throw invalid(field, 'describes several IdPs; give the one to use');
  }
  const entity = idps[0]!;
  const entityId = entity.getAttribute('entityID')?.trim();
  if (!entityId) throw invalid(field, 'has an EntityDescriptor without an entityID');

  const idp = children(entity, MD_NS, 'IDPSSODescriptor')[0]!;
  const protocols = (idp.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/);
  if (!protocols.includes(SAML2_PROTOCOL)) {
    throw invalid(field, 'has an IDPSSODescriptor that does not support SAML 2.0');
  }
  const endpoint = (localName: string) =>
    children(idp, MD_NS, localName)
      .find((e) => e.getAttribute('Binding') === HTTP_REDIRECT_BINDING)
      ?.getAttribute('Location')
      ?.trim() || null;
  const ssoUrl = endpoint('SingleSignOnService');
  if (!ssoUrl) throw invalid(field, 'has no SingleSignOnService for the HTTP-Redirect binding');

  const certificates = children(idp, MD_NS, 'KeyDescriptor')
    .filter((k) => {
      const use = k.getAttribute('use');
      return !use || use === 'signing';
    })
    .flatMap((k) => descendants(k, DS_NS, 'X509Certificate'))
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''))
    .filter(Boolean);
  if (certificates.length === 0) throw invalid(field, 'has no signing certificate');

  return { entityId, ssoUrl, sloUrl: endpoint('SingleLogoutService'), certificates };
}

/** A certificate as PEM, whether given as PEM or as the base64 DER of metadata. */
export function toPem(certificate: string): string {
  const trimmed = certificate.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  const body = trimmed.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----`;
}

/**
 * Parses and checks one certificate: it must be an X.509 certificate node can read, and
 * not expired. Returns its normalised PEM, or the reason it is refused.
 */
export function checkCertificate(
  certificate: string,
  now: Date,
): { ok: true; pem: string } | { ok: false; message: string } {
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(toPem(certificate));
  } catch {
    return { ok: false, message: 'is not a valid X.509 certificate' };
  }
  const notAfter = Date.parse(parsed.validTo);
  if (!Number.isFinite(notAfter) || notAfter <= now.getTime()) {
    return { ok: false, message: `has expired (not after ${parsed.validTo})` };
  }
  return { ok: true, pem: parsed.toString().trim() };
}
