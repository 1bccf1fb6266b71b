import { parseSamlTime } from './saml-time.js';
import { verify, X509Certificate } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { XmlDocument, XmlElement } from 'libxml2-wasm';
import { LogoutRefusal } from './saml-refusals.js';
import { ALLOWED_ALGORITHMS, BASE64, MAX_SAML_MESSAGE_BYTES } from './acs-context.js';
import type { ConnectionEntities, SamlConnectionConfig, SpEndpoints } from './saml-entities.js';
import { isSchemaValidDocument } from './schema-validator.js';
import { verifyEnvelopedSignature } from './xml-signature.js';
import {
  attributeOf,
  childrenNamed,
  DS,
  isElement,
  parseStrict,
  SAML,
  SAMLP,
  surveyOf,
  textOf,
  walkElements,
} from './xml-tree.js';

/**
 * SAML Single Logout messages (Core §3.7, Bindings §3.4 HTTP-Redirect and §3.5 HTTP-POST)
 * coming from a connection's IdP: LogoutRequests (IdP-initiated) and LogoutResponses (to
 * Latchkey's own LogoutRequest), checked in order, each check refusing with its own code.
 *
 * samlify's own Single Logout parsing verifies a signature only when the SP entity asks
 * for it (wantLogoutRequestSigned / wantLogoutResponseSigned, off by default), so it is
 * not used for incoming messages: here a logout message must always be signed by a
 * certificate from the connection's metadata — over the query string (Redirect) or as an
 * enveloped XML signature over the whole message (POST, the strict verifier of
 * xml-signature.ts) — and one that is unsigned, foreign-signed, expired, misdirected or
 * from another IdP changes nothing. The message is parsed once (libxml2); the schema, the
 * signature and what is read are all of that one tree.
 */

export type LogoutKind = 'LogoutRequest' | 'LogoutResponse';

/** A logout message as it arrived at the SLO URL. */
export type IncomingLogoutMessage =
  /** HTTP-Redirect: the raw query string (after `?`), as sent, for the signed octets. */
  | { binding: 'redirect'; rawQuery: string }
  /** HTTP-POST: the form fields. */
  | { binding: 'post'; samlMessage: string; relayState: string | null; kind: LogoutKind };

/** What a verified logout message says. */
export interface VerifiedLogoutMessage {
  kind: LogoutKind;
  id: string;
  issuer: string;
  inResponseTo: string | null;
  /** LogoutResponse: samlp:Status/samlp:StatusCode/@Value. */
  status: string | null;
  /** LogoutRequest: the NameID and its format, and the SessionIndexes named (maybe none). */
  nameId: string | null;
  nameIdFormat: string | null;
  sessionIndexes: string[];
  relayState: string | null;
}

export { LogoutRefusal };

const refuse = (code: string): never => {
  throw new LogoutRefusal(code);
};

/** How long after its IssueInstant a logout message without NotOnOrAfter is accepted. */
export const LOGOUT_MESSAGE_LIFETIME_MS = 5 * 60_000;
const REDIRECT_SIGNATURE_ALGORITHMS: Record<string, string> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'RSA-SHA256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'RSA-SHA512',
};

/** The XML of the message and, for the Redirect binding, what its signature covers. */
interface Decoded {
  kind: LogoutKind;
  xml: string;
  relayState: string | null;
  redirect: { octets: string; sigAlg: string | null; signature: string | null } | null;
}

const decodeBase64 = (value: string): Buffer => {
  if (value.length > Math.ceil((MAX_SAML_MESSAGE_BYTES * 4) / 3) + 8192)
    refuse('saml_logout_too_large');
  if (!BASE64.test(value)) refuse('saml_logout_malformed');
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 0) refuse('saml_logout_malformed');
  return bytes;
};

function decode(message: IncomingLogoutMessage): Decoded {
  if (message.binding === 'post') {
    const bytes = decodeBase64(message.samlMessage);
    if (bytes.length > MAX_SAML_MESSAGE_BYTES) refuse('saml_logout_too_large');
    return {
      kind: message.kind,
      xml: bytes.toString('utf8'),
      relayState: message.relayState,
      redirect: null,
    };
  }
  if (message.rawQuery.length > Math.ceil((MAX_SAML_MESSAGE_BYTES * 4) / 3) + 16_384)
    refuse('saml_logout_too_large');
  // Bindings §3.4.4.1: the signature covers the parameters exactly as they were encoded.
  const raw = new Map<string, string>();
  for (const pair of message.rawQuery.split('&')) {
    const at = pair.indexOf('=');
    const name = at < 0 ? pair : pair.slice(0, at);
    if (!['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'].includes(name))
      continue;
    if (raw.has(name)) refuse('saml_logout_malformed');
    raw.set(name, at < 0 ? '' : pair.slice(at + 1));
  }
  const request = raw.get('SAMLRequest');
  const response = raw.get('SAMLResponse');
  if ((request === undefined) === (response === undefined)) refuse('saml_logout_malformed');
  const kind: LogoutKind = request !== undefined ? 'LogoutRequest' : 'LogoutResponse';
  const param = kind === 'LogoutRequest' ? 'SAMLRequest' : 'SAMLResponse';
  const value = (request ?? response)!;
  const decoded = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return refuse('saml_logout_malformed');
    }
  };
  const deflated = decodeBase64(decoded(value));
  let xml: string;
  try {
    // Inflation capped: a small deflated message must not expand without bound.
    xml = inflateRawSync(deflated, { maxOutputLength: MAX_SAML_MESSAGE_BYTES }).toString('utf8');
  } catch (error) {
    if (error instanceof RangeError) return refuse('saml_logout_too_large');
    return refuse('saml_logout_malformed');
  }
  const relayRaw = raw.get('RelayState');
  const sigAlgRaw = raw.get('SigAlg');
  const octets = [
    `${param}=${value}`,
    ...(relayRaw !== undefined ? [`RelayState=${relayRaw}`] : []),
    ...(sigAlgRaw !== undefined ? [`SigAlg=${sigAlgRaw}`] : []),
  ].join('&');
  const signature = raw.get('Signature');
  return {
    kind,
    xml,
    relayState: relayRaw !== undefined ? decoded(relayRaw) : null,
    redirect: {
      octets,
      sigAlg: sigAlgRaw !== undefined ? decoded(sigAlgRaw) : null,
      signature: signature !== undefined ? decoded(signature) : null,
    },
  };
}

/** The message's fields, read from the one parsed tree (whose root the signature covers). */
function read(root: XmlElement, kind: LogoutKind) {
  const attribute = (name: string) => attributeOf(root, name) || null;
  const issuer = childrenNamed(root, SAML, 'Issuer');
  const nameIds = childrenNamed(root, SAML, 'NameID');
  const status = childrenNamed(root, SAMLP, 'Status')[0];
  const code = status ? childrenNamed(status, SAMLP, 'StatusCode')[0] : undefined;
  return {
    kind,
    id: attribute('ID'),
    issuer: issuer.length === 1 ? textOf(issuer[0]) : null,
    destination: attribute('Destination'),
    issueInstant: attribute('IssueInstant'),
    notOnOrAfter: attribute('NotOnOrAfter'),
    inResponseTo: attribute('InResponseTo'),
    status: code ? attributeOf(code, 'Value') : null,
    nameId: nameIds.length === 1 ? textOf(nameIds[0]) : null,
    nameIdFormat: nameIds.length === 1 ? attributeOf(nameIds[0]!, 'Format') || null : null,
    sessionIndexes: childrenNamed(root, SAMLP, 'SessionIndex')
      .map(textOf)
      .filter((v): v is string => v !== null),
    hasEncryptedId: childrenNamed(root, SAML, 'EncryptedID').length > 0,
  };
}

const publicKeyOf = (pem: string) => new X509Certificate(pem).publicKey;

/** Redirect binding: the query-string signature, by one of the metadata certificates. */
function checkRedirectSignature(
  redirect: NonNullable<Decoded['redirect']>,
  certificates: string[],
): void {
  if (!redirect.signature || !redirect.sigAlg) return refuse('saml_logout_unsigned');
  const algorithm = REDIRECT_SIGNATURE_ALGORITHMS[redirect.sigAlg];
  if (!algorithm) return refuse('saml_signature_algorithm_weak');
  if (!BASE64.test(redirect.signature)) return refuse('saml_signature_invalid');
  const signature = Buffer.from(redirect.signature, 'base64');
  for (const pem of certificates) {
    try {
      if (verify(algorithm, Buffer.from(redirect.octets), publicKeyOf(pem), signature)) return;
    } catch {
      // An unusable certificate verifies nothing; try the next.
    }
  }
  refuse(certificates.length ? 'saml_signature_invalid' : 'saml_certificate_unknown');
}

/**
 * POST binding: one enveloped signature in the whole message, a child of the message,
 * whose only reference is the message itself (so what it covers is exactly what is read:
 * no wrapping), verified by the strict verifier against the connection's certificates (a
 * certificate in KeyInfo must be one of them).
 */
export function checkPostSignature(
  document: XmlDocument,
  root: XmlElement,
  entities: ConnectionEntities,
): void {
  let signatures = 0;
  walkElements(root, (element) => {
    if (isElement(element, DS, 'Signature')) signatures += 1;
  });
  if (signatures === 0) return refuse('saml_logout_unsigned');
  if (signatures !== 1) return refuse('saml_signature_wrapping');
  const verified = verifyEnvelopedSignature(document, root, entities.idpKeys);
  if (!verified.ok) refuse(verified.reason);
}

const timeOf = (value: string): number => parseSamlTime(value) ?? refuse('saml_logout_malformed');

export interface LogoutCheckContext {
  connection: SamlConnectionConfig;
  endpoints: SpEndpoints;
  entities: ConnectionEntities;
  nowMs: number;
  skewMs: number;
}

/**
 * The checks of an incoming logout message, in order (the first that fails refuses it):
 * size and decoding (saml_logout_too_large, saml_logout_malformed) · no DOCTYPE
 * (saml_doctype_forbidden) · well-formed, of the expected kind (saml_logout_malformed) ·
 * SAML schema (saml_logout_invalid) · no comments (saml_xml_comment_forbidden) · SHA-256+
 * algorithms (saml_signature_algorithm_weak) · Issuer is this connection's IdP
 * (saml_issuer_mismatch) · signed by a metadata certificate (saml_logout_unsigned,
 * saml_signature_invalid, saml_certificate_unknown, saml_signature_wrapping) · Destination
 * is this SLO URL (saml_destination_mismatch) · within its time window, with skew
 * (saml_logout_expired, saml_logout_not_yet_valid) · a LogoutRequest names a plain NameID
 * (saml_logout_malformed). Replay and InResponseTo are the caller's (stateful) checks.
 */
export async function checkLogoutMessage(
  message: IncomingLogoutMessage,
  ctx: LogoutCheckContext,
): Promise<VerifiedLogoutMessage & { notOnOrAfterMs: number }> {
  const decoded = decode(message);
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(decoded.xml)) refuse('saml_doctype_forbidden');
  let document: XmlDocument;
  try {
    document = parseStrict(decoded.xml);
  } catch {
    return refuse('saml_logout_malformed');
  }
  try {
    return Promise.resolve(checkParsed(document, decoded, ctx));
  } finally {
    document.dispose();
  }
}

/** The checks of checkLogoutMessage once the message is parsed, on that one tree. */
function checkParsed(
  document: XmlDocument,
  decoded: Decoded,
  ctx: LogoutCheckContext,
): VerifiedLogoutMessage & { notOnOrAfterMs: number } {
  const root = document.root;
  if (!isElement(root, SAMLP, decoded.kind)) refuse('saml_logout_malformed');
  if (!isSchemaValidDocument(document)) refuse('saml_logout_invalid');
  const survey = surveyOf(root);
  if (survey.comments > 0) refuse('saml_xml_comment_forbidden');
  if (survey.algorithms.some((a) => !ALLOWED_ALGORITHMS.has(a)))
    refuse('saml_signature_algorithm_weak');

  const facts = read(root, decoded.kind);
  if (facts.issuer !== ctx.connection.idpEntityId) refuse('saml_issuer_mismatch');
  if (decoded.redirect) {
    checkRedirectSignature(decoded.redirect, ctx.connection.idpCertificates);
  } else {
    checkPostSignature(document, root, ctx.entities);
  }
  if (facts.destination !== ctx.endpoints.sloUrl) refuse('saml_destination_mismatch');

  const issuedAtMs = facts.issueInstant
    ? timeOf(facts.issueInstant)
    : refuse('saml_logout_malformed');
  if (issuedAtMs - ctx.skewMs > ctx.nowMs) refuse('saml_logout_not_yet_valid');
  const notOnOrAfterMs = facts.notOnOrAfter
    ? timeOf(facts.notOnOrAfter)
    : issuedAtMs + LOGOUT_MESSAGE_LIFETIME_MS;
  if (ctx.nowMs - ctx.skewMs >= notOnOrAfterMs) refuse('saml_logout_expired');
  if (!facts.id) refuse('saml_logout_malformed');
  if (decoded.kind === 'LogoutRequest' && (!facts.nameId || facts.hasEncryptedId))
    refuse('saml_logout_malformed');

  return {
    kind: decoded.kind,
    id: facts.id!,
    issuer: facts.issuer!,
    inResponseTo: facts.inResponseTo,
    status: facts.status,
    nameId: facts.nameId,
    nameIdFormat: facts.nameIdFormat,
    sessionIndexes: facts.sessionIndexes,
    relayState: decoded.relayState,
    notOnOrAfterMs: notOnOrAfterMs + ctx.skewMs,
  };
}
