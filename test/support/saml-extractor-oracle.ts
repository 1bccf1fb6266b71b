import samlify from 'samlify';
import type { AssertionFacts } from '../../src/federation/saml/verify-response.js';

/**
 * The oracle of test/federation/saml-read-assertion.test.ts: how Latchkey read a signed
 * assertion through samlify's Extractor before it read it with one parse (verbatim, but
 * for its name). Kept only to show that both read every shape of assertion alike.
 */
type Extracted = Record<string, unknown>;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
const list = (value: unknown): unknown[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
const records = (value: unknown): Extracted[] =>
  list(value).filter((v): v is Extracted => typeof v === 'object' && v !== null);

const extract = (xml: string, fields: unknown[]): Extracted =>
  samlify.Extractor.extract(xml, fields as Parameters<typeof samlify.Extractor.extract>[1]);

/** Reads an assertion that samlify returned as signed; never a document from the wire. */
export function readAssertionWithExtractor(signedAssertionXml: string): AssertionFacts {
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

  const subjectConfirmations = list(found.subjectConfirmations).map((xml) => {
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
  });

  const conditionsXml = list(found.conditions).map(String);
  const conditions = conditionsXml.map((xml) => {
    const c = records(
      extract(xml, [
        { key: 'c', localPath: ['Conditions'], attributes: ['NotBefore', 'NotOnOrAfter'] },
      ]).c,
    )[0];
    return { notBefore: text(c?.notBefore), notOnOrAfter: text(c?.notOnOrAfter) };
  });
  const audienceRestrictions = conditionsXml.flatMap((xml) =>
    list(
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
    ),
  );

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
