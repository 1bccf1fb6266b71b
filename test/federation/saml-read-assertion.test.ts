import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readResponseDocument } from '../../src/federation/saml/response-document.js';
import { buildEntities } from '../../src/federation/saml/saml-entities.js';
import { readAssertion, verifySignature } from '../../src/federation/saml/verify-response.js';
import { readAssertionWithExtractor } from '../support/saml-extractor-oracle.js';
import { createSamlTestIdp, samlKeyPair } from '../support/saml-idp.js';
import { decode } from '../support/saml-xml.js';

/**
 * readAssertion reads the signed assertion with one parse; before, it asked samlify's
 * Extractor field by field (test/support/saml-extractor-oracle.ts). Both must read every
 * shape alike — the odd ones included (several NameIDs, repeated or prototype-named
 * attributes, prefixed attributes, mixed content) — since what they read decides who signs in.
 */
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

const assertion = (
  inner: string,
  attrs = 'ID="_a1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"',
) => `<saml:Assertion xmlns:saml="${SAML}" ${attrs}>${inner}</saml:Assertion>`;
const issuer = '<saml:Issuer>https://idp.test</saml:Issuer>';
const subject = (nameIds: string, confirmations: string) =>
  `<saml:Subject>${nameIds}${confirmations}</saml:Subject>`;
const nameId = (value: string, format = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress') =>
  `<saml:NameID Format="${format}">${value}</saml:NameID>`;
const confirmation = (data: string, method = BEARER) =>
  `<saml:SubjectConfirmation Method="${method}">${data}</saml:SubjectConfirmation>`;
const data = (attrs: string) => `<saml:SubjectConfirmationData ${attrs}/>`;
const conditions = (attrs: string, restrictions: string) =>
  `<saml:Conditions ${attrs}>${restrictions}</saml:Conditions>`;
const restriction = (...audiences: string[]) =>
  `<saml:AudienceRestriction>${audiences.map((a) => `<saml:Audience>${a}</saml:Audience>`).join('')}</saml:AudienceRestriction>`;
const authn = (attrs: string) =>
  `<saml:AuthnStatement AuthnInstant="2026-01-01T00:00:00Z" ${attrs}><saml:AuthnContext><saml:AuthnContextClassRef>urn:x</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
const attribute = (name: string | null, ...values: string[]) =>
  `<saml:Attribute${name === null ? '' : ` Name="${name}"`}>${values.map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
const statement = (...attributes: string[]) =>
  `<saml:AttributeStatement>${attributes.join('')}</saml:AttributeStatement>`;

const typical = assertion(
  issuer +
    subject(
      nameId('alice@globex.test'),
      confirmation(
        data(
          'Recipient="https://sp.test/acs" NotOnOrAfter="2026-01-01T00:05:00Z" InResponseTo="_r1"',
        ),
      ),
    ) +
    conditions(
      'NotBefore="2026-01-01T00:00:00Z" NotOnOrAfter="2026-01-01T00:05:00Z"',
      restriction('https://sp.test'),
    ) +
    authn('SessionIndex="_s1" SessionNotOnOrAfter="2026-01-01T08:00:00Z"') +
    statement(attribute('email', 'alice@globex.test'), attribute('groups', 'a', 'b')),
);

const shapes: Record<string, string> = {
  typical,
  'no subject, conditions, statements': assertion(issuer),
  'two issuers': assertion(issuer + issuer),
  'an empty issuer': assertion('<saml:Issuer></saml:Issuer>'),
  'two NameIDs': assertion(issuer + subject(nameId('a@x.test') + nameId('b@x.test'), '')),
  'an empty NameID': assertion(issuer + subject(nameId(''), '')),
  'a NameID with padding, an entity and CDATA': assertion(
    issuer + subject(nameId('  a&amp;b@x.test <![CDATA[tail]]> '), ''),
  ),
  'a NameID with an element inside': assertion(
    issuer + subject('<saml:NameID><x xmlns="urn:x">in</x>after</saml:NameID>', ''),
  ),
  'a NameID without Format, then one with': assertion(
    issuer + subject('<saml:NameID>a@x.test</saml:NameID>' + nameId('b@x.test'), ''),
  ),
  'confirmations: none, two data, other method, prefixed attributes': assertion(
    issuer +
      subject(
        nameId('a@x.test'),
        confirmation('') +
          confirmation(data('Recipient="r1"') + data('Recipient="r2"')) +
          confirmation(data('Recipient="r3"'), 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key') +
          confirmation(
            `<saml:SubjectConfirmationData xmlns:p="urn:p" p:Recipient="rp" NotBefore="2026-01-01T00:00:00Z" Extra="e"/>`,
          ) +
          '<saml:SubjectConfirmation/>',
      ),
  ),
  'two conditions, several restrictions and audiences, empty ones': assertion(
    issuer +
      conditions(
        'NotBefore="2026-01-01T00:00:00Z"',
        restriction('https://a.test', ' https://b.test ', '') + restriction() + restriction(''),
      ) +
      conditions('NotOnOrAfter="2026-01-01T00:05:00Z"', restriction('https://c.test')) +
      conditions('', ''),
  ),
  'an audience with an element inside, among others': assertion(
    issuer +
      conditions(
        '',
        '<saml:AudienceRestriction><saml:Audience><x xmlns="urn:x">in</x></saml:Audience><saml:Audience>https://a.test</saml:Audience></saml:AudienceRestriction>',
      ),
  ),
  'two authn statements, one bare': assertion(
    issuer +
      authn('SessionIndex="_s1"') +
      authn('') +
      authn('SessionNotOnOrAfter="2026-01-01T08:00:00Z"'),
  ),
  'attributes: repeated, empty, valueless, prototype names, mixed content': assertion(
    issuer +
      statement(
        attribute('groups', 'a'),
        attribute('groups', 'b', 'c'),
        attribute('groups'),
        attribute('empty', ''),
        attribute('none'),
        attribute('constructor', 'c1'),
        attribute('toString', 't1', 't2'),
        attribute('__proto__', 'p1', 'p2'),
        attribute('__proto__', 'p3'),
        attribute('mixed', 'x<y xmlns="urn:y">inner</y>z', ' spaced '),
        attribute('hasOwnProperty', 'h'),
      ) +
      statement(attribute('second', 's')),
  ),
  'an attribute without Name (values pair by position)': assertion(
    issuer +
      statement(attribute(null, 'orphan'), attribute('email', 'e@x.test'), attribute('name', 'N')),
  ),
  'another prefix and the default namespace': `<Assertion xmlns="${SAML}" ID="_d"><Issuer>https://idp.test</Issuer><Subject><NameID>d@x.test</NameID></Subject><AttributeStatement><Attribute Name="a"><AttributeValue>1</AttributeValue></Attribute></AttributeStatement></Assertion>`,
  'a root that is not an Assertion': `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r">${typical}</samlp:Response>`,
};

describe('reading a signed assertion with one parse', () => {
  for (const [name, xml] of Object.entries(shapes)) {
    it(`when the assertion has ${name}, then it reads as samlify's Extractor read it`, () => {
      assert.deepEqual(readAssertion(xml), readAssertionWithExtractor(xml));
    });
  }

  let signed: string;
  before(async () => {
    const idp = createSamlTestIdp();
    const SP = 'https://latchkey.test/saml/read';
    const endpoints = { entityId: SP, acsUrl: `${SP}/acs`, sloUrl: `${SP}/slo` };
    const entities = buildEntities(
      {
        id: 'read',
        version: 1,
        idpEntityId: idp.entityId,
        idpSsoUrl: idp.ssoUrl,
        idpSloUrl: null,
        idpCertificates: [idp.keys.certificatePem],
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        signRequests: false,
        wantAssertionsSigned: true,
      },
      endpoints,
      { current: samlKeyPair('SP'), next: null },
    );
    const response = await idp.respond(
      { entityId: SP, acsUrl: endpoints.acsUrl, metadataXml: entities.sp.getMetadata() },
      {
        inResponseTo: '_req',
        nameId: 'carol@globex.test',
        attributes: { email: 'carol@globex.test', groups: ['x', 'y'] },
      },
    );
    const doc = readResponseDocument(decode(response));
    const verified = verifySignature(doc.withoutResponseSignature(), entities.idpPerCertificate);
    assert.ok(verified.ok);
    signed = verified.signedXml;
  });

  it('when samlify returns an assertion it verified, then both read it alike, and as the IdP said', () => {
    const facts = readAssertion(signed);
    assert.deepEqual(facts, readAssertionWithExtractor(signed));
    assert.equal(facts.nameId, 'carol@globex.test');
    assert.deepEqual(facts.attributes.groups, ['x', 'y']);
    assert.equal(facts.subjectConfirmations[0]?.inResponseTo, '_req');
  });

  it('when the XML is not well-formed, then it is refused rather than read', () => {
    assert.throws(() => readAssertion('<saml:Assertion'));
  });
});
