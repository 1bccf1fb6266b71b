import samlify from 'samlify';
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

type Extracted = Record<string, unknown>;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
const list = (value: unknown): unknown[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
const records = (value: unknown): Extracted[] =>
  list(value).filter((v): v is Extracted => typeof v === 'object' && v !== null);

const extract = (xml: string, fields: unknown[]): Extracted =>
  samlify.Extractor.extract(xml, fields as Parameters<typeof samlify.Extractor.extract>[1]);

/** One SubjectConfirmation of the assertion: its method and its (single) data. */
function subjectConfirmationOf(xml: unknown) {
  const sc = extract(String(xml), [
    { key: 'method', localPath: ['SubjectConfirmation'], attributes: ['Method'] },
    {
      key: 'data',
      localPath: ['SubjectConfirmation', 'SubjectConfirmationData'],
      attributes: ['Recipient', 'NotBefore', 'NotOnOrAfter', 'InResponseTo'],
    },
  ]);
  const data = records(sc.data);
  // Several SubjectConfirmationData in one confirmation are ambiguous: none counts.
  const one = data.length === 1 ? data[0]! : {};
  return {
    method: text(sc.method),
    recipient: text(one.recipient),
    notBefore: text(one.notBefore),
    notOnOrAfter: text(one.notOnOrAfter),
    inResponseTo: text(one.inResponseTo),
  };
}

/** The audiences of each AudienceRestriction of one Conditions element. */
function audienceRestrictionsOf(xml: string): string[][] {
  return list(
    extract(xml, [
      {
        key: 'restrictions',
        localPath: ['Conditions', 'AudienceRestriction'],
        attributes: [],
        context: true,
      },
    ]).restrictions,
  ).map((restriction) =>
    list(
      extract(String(restriction), [
        { key: 'audience', localPath: ['AudienceRestriction', 'Audience'], attributes: [] },
      ]).audience,
    )
      .map(text)
      .filter((v): v is string => v !== null),
  );
}

/** Reads an assertion that samlify returned as signed; never a document from the wire. */
export function readAssertion(signedAssertionXml: string): AssertionFacts {
  const a = ['Assertion'];
  const found = extract(signedAssertionXml, [
    { key: 'assertion', localPath: a, attributes: ['ID'] },
    { key: 'issuer', localPath: [...a, 'Issuer'], attributes: [] },
    { key: 'nameId', localPath: [...a, 'Subject', 'NameID'], attributes: [] },
    { key: 'nameIdFormat', localPath: [...a, 'Subject', 'NameID'], attributes: ['Format'] },
    {
      key: 'subjectConfirmations',
      localPath: [...a, 'Subject', 'SubjectConfirmation'],
      attributes: [],
      context: true,
    },
    {
      key: 'conditions',
      localPath: [...a, 'Conditions'],
      attributes: [],
      context: true,
    },
    {
      key: 'authnStatements',
      localPath: [...a, 'AuthnStatement'],
      attributes: [],
      context: true,
    },
    {
      key: 'attributes',
      localPath: [...a, 'AttributeStatement', 'Attribute'],
      index: ['Name'],
      attributePath: ['AttributeValue'],
      attributes: [],
    },
  ]);

  const subjectConfirmations = list(found.subjectConfirmations).map(subjectConfirmationOf);

  const conditionsXml = list(found.conditions).map(String);
  const conditions = conditionsXml.map((xml) => {
    const c = records(
      extract(xml, [
        { key: 'c', localPath: ['Conditions'], attributes: ['NotBefore', 'NotOnOrAfter'] },
      ]).c,
    )[0];
    return { notBefore: text(c?.notBefore), notOnOrAfter: text(c?.notOnOrAfter) };
  });
  const audienceRestrictions = conditionsXml.flatMap(audienceRestrictionsOf);

  const authnStatements = list(found.authnStatements).map((xml) => {
    const s = records(
      extract(String(xml), [
        {
          key: 's',
          localPath: ['AuthnStatement'],
          attributes: ['SessionIndex', 'SessionNotOnOrAfter'],
        },
      ]).s,
    )[0];
    return {
      sessionIndex: text(s?.sessionIndex),
      sessionNotOnOrAfter: text(s?.sessionNotOnOrAfter),
    };
  });

  const attributes: Record<string, string[]> = {};
  const rawAttributes = found.attributes;
  if (typeof rawAttributes === 'object' && rawAttributes !== null) {
    for (const [name, value] of Object.entries(rawAttributes as Record<string, unknown>)) {
      attributes[name] = list(value).filter((v): v is string => typeof v === 'string');
    }
  }

  return {
    id: text(records(found.assertion)[0]?.id ?? found.assertion),
    issuer: typeof found.issuer === 'string' ? text(found.issuer) : null,
    nameId: typeof found.nameId === 'string' ? text(found.nameId) : null,
    nameIdFormat: text(found.nameIdFormat),
    subjectConfirmations,
    conditions,
    audienceRestrictions,
    authnStatements,
    attributes,
  };
}
