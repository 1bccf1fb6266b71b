import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { trustedKeysOf } from '../../src/federation/saml/saml-entities.js';
import {
  verifyEnvelopedSignature,
  type TrustedKey,
} from '../../src/federation/saml/xml-signature.js';
import type { XmlElement } from 'libxml2-wasm';
import { exclusiveC14n, parseStrict, select } from '../../src/federation/saml/xml-tree.js';
import { samlKeyPair, type KeyPair } from '../support/saml-idp.js';

/**
 * The strict verifier alone (src/federation/saml/xml-signature.ts), on documents signed by
 * xml-crypto (an independent canonicalization): the algorithms of the profile, including
 * those the ACS does not accept yet (SHA-384, ECDSA), InclusiveNamespaces, and each refusal
 * with its reason and detail.
 */

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const SHA384 = 'http://www.w3.org/2001/04/xmldsig-more#sha384';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const RSA_SHA384 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384';
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';

/** xml-crypto's signer for the algorithms it lacks: RSA-SHA384, ECDSA-SHA256 (IEEE P1363 r‖s). */
function signer(uri: string, hash: string, ec: boolean) {
  return class {
    getSignature(data: string, key: KeyObject | string): string {
      const input = ec ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
      return sign(hash, Buffer.from(data), input as KeyObject).toString('base64');
    }
    verifySignature(): boolean {
      return false;
    }
    getAlgorithmName(): string {
      return uri;
    }
  };
}

/** `<r:Root>` declaring xs and holding `<r:Item ID="_item">`, the Item signed by xml-crypto. */
function signedDocument(o: {
  keys: { privateKeyPem: string; certificatePem?: string };
  algorithm?: string;
  digest?: string;
  prefixList?: string[];
}): string {
  const xml =
    '<r:Root xmlns:r="urn:r" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<r:Item ID="_item"><r:Value xsi:type="xs:string">zoë &amp; 😀</r:Value></r:Item><r:Other ID="_other"/></r:Root>';
  const sig = new SignedXml({
    privateKey: o.keys.privateKeyPem,
    ...(o.keys.certificatePem ? { publicCert: o.keys.certificatePem } : {}),
    signatureAlgorithm: o.algorithm ?? RSA_SHA256,
    canonicalizationAlgorithm: EXC,
  });
  const table = sig.SignatureAlgorithms as Record<string, unknown>;
  table[RSA_SHA384] = signer(RSA_SHA384, 'sha384', false);
  table[ECDSA_SHA256] = signer(ECDSA_SHA256, 'sha256', true);
  (sig.HashAlgorithms as Record<string, unknown>)[SHA384] = class {
    getHash(x: string) {
      return createHashBase64('sha384', x);
    }
    getAlgorithmName() {
      return SHA384;
    }
  };
  sig.addReference({
    xpath: "//*[local-name(.)='Item']",
    transforms: [ENVELOPED, EXC],
    digestAlgorithm: o.digest ?? SHA256,
    ...(o.prefixList ? { inclusiveNamespacesPrefixList: o.prefixList } : {}),
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: "//*[local-name(.)='Item']", action: 'append' },
  });
  const signed = sig.getSignedXml();
  return o.prefixList ? withoutEnvelopedParameters(signed, o.keys.privateKeyPem) : signed;
}

/**
 * xml-crypto writes the InclusiveNamespaces of a reference under the enveloped-signature
 * transform too (in that transform's URI as namespace), which takes no parameters and which
 * the profile refuses: taken out, and SignedInfo signed again (its digest stays xml-crypto's).
 */
function withoutEnvelopedParameters(signed: string, privateKeyPem: string): string {
  const fixed = signed.replace(/<InclusiveNamespaces [^>]*xmldsig#enveloped-signature"\/>/, '');
  const document = parseStrict(fixed);
  try {
    const signedInfo = select(document.root, '//ds:SignedInfo')[0] as XmlElement;
    const octets = exclusiveC14n(document, signedInfo, {
      withComments: false,
      inclusivePrefixes: [],
    });
    const value = sign('sha256', octets, privateKeyPem).toString('base64');
    return fixed.replace(/<ds:SignatureValue>[^<]*/, `<ds:SignatureValue>${value}`);
  } finally {
    document.dispose();
  }
}

const createHashBase64 = (hash: string, x: string) =>
  createHash(hash).update(x, 'utf8').digest('base64');

function verdict(xml: string, keys: TrustedKey[]) {
  const document = parseStrict(xml);
  try {
    const item = document.root.find("//*[@ID='_item']")[0];
    const outcome = verifyEnvelopedSignature(document, item as never, keys);
    return outcome.ok ? 'ok' : `${outcome.reason}:${outcome.detail}`;
  } finally {
    document.dispose();
  }
}

describe('the strict XML signature verifier, alone', () => {
  let rsa: KeyPair;
  let other: KeyPair;
  let ec: { privateKeyPem: string; key: TrustedKey };
  before(() => {
    rsa = samlKeyPair('Signer');
    other = samlKeyPair('Someone else');
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    ec = {
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      key: { certificateBody: 'not-a-certificate', publicKey: pair.publicKey },
    };
  });
  const keys = () => trustedKeysOf([rsa.certificatePem]);

  it('when signed with RSA-SHA256 / SHA-256, RSA-SHA384 / SHA-384, or ECDSA-SHA256 (P-256), then it verifies with the right key only', () => {
    assert.equal(verdict(signedDocument({ keys: rsa }), keys()), 'ok');
    assert.equal(
      verdict(signedDocument({ keys: rsa, algorithm: RSA_SHA384, digest: SHA384 }), keys()),
      'ok',
    );
    const ecSigned = signedDocument({ keys: ec, algorithm: ECDSA_SHA256 });
    assert.equal(verdict(ecSigned, [ec.key]), 'ok');
    assert.equal(verdict(ecSigned, keys()), 'saml_signature_invalid:signature_value');
    assert.equal(
      verdict(
        signedDocument({ keys: { privateKeyPem: rsa.privateKeyPem } }),
        trustedKeysOf([other.certificatePem]),
      ),
      'saml_signature_invalid:signature_value',
    );
  });

  it('when the exclusive C14N names InclusiveNamespaces (xs, declared outside the signed element), then they are rendered as the signer rendered them', () => {
    const xml = signedDocument({ keys: rsa, prefixList: ['xs', 'xsi'] });
    assert.match(xml, /InclusiveNamespaces PrefixList="xs xsi"/);
    assert.equal(verdict(xml, keys()), 'ok');
    // The list changes what is canonicalized (xmlns:xs and xmlns:xsi on the Item), so the
    // verdict above holds only because the verifier applied it.
    const digestOf = (x: string) => /<ds:DigestValue>([^<]*)/.exec(x)![1];
    assert.notEqual(digestOf(xml), digestOf(signedDocument({ keys: rsa })));
  });

  it('when a KeyInfo certificate is not one of the connection’s, then it is refused as unknown; without KeyInfo every configured key is tried', () => {
    const withForeign = signedDocument({ keys: other });
    assert.match(withForeign, /X509Certificate/);
    assert.equal(verdict(withForeign, keys()), 'saml_certificate_unknown:keyinfo_certificate');
    assert.equal(
      verdict(signedDocument({ keys: rsa }), []),
      'saml_certificate_unknown:no_configured_key',
    );
    const rotated = trustedKeysOf([other.certificatePem, rsa.certificatePem]);
    assert.equal(
      verdict(signedDocument({ keys: { privateKeyPem: rsa.privateKeyPem } }), rotated),
      'ok',
    );
  });

  /** Each edit: what it does, what it replaces and with what, and the refusal expected. */
  const edits: Array<[string, string | RegExp, string, string]> = [
    [
      'a second Reference',
      /(<ds:Reference\b[\s\S]*?<\/ds:Reference>)/,
      '$1$1',
      'saml_signature_wrapping:reference_count',
    ],
    [
      'a Reference to another element',
      'URI="#_item"',
      'URI="#_other"',
      'saml_signature_wrapping:reference_uri',
    ],
    [
      'the same ID on another element',
      'ID="_other"',
      'ID="_item"',
      'saml_signature_wrapping:id_not_unique',
    ],
    [
      'the ID as Id elsewhere',
      'ID="_other"',
      'Id="_item"',
      'saml_signature_wrapping:id_not_unique',
    ],
    [
      'inclusive C14N',
      `<ds:CanonicalizationMethod Algorithm="${EXC}"`,
      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"',
      'saml_signature_unsupported:c14n_algorithm',
    ],
    [
      'an XPath transform',
      ENVELOPED,
      'http://www.w3.org/TR/1999/REC-xpath-19991116',
      'saml_signature_unsupported:transforms',
    ],
    [
      'SHA-1 digest',
      SHA256,
      'http://www.w3.org/2000/09/xmldsig#sha1',
      'saml_signature_algorithm_weak:digest',
    ],
    [
      'RSA-SHA1',
      RSA_SHA256,
      'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
      'saml_signature_algorithm_weak:signature',
    ],
    [
      'a ds:Object',
      '</ds:Signature>',
      '<ds:Object/></ds:Signature>',
      'saml_signature_unsupported:Signature_shape',
    ],
    ['a comment in the value', 'zoë', 'zo<!---->ë', 'saml_xml_comment_forbidden:comment'],
    ['the value changed', 'zoë', 'zoe', 'saml_signature_invalid:digest_value'],
    [
      'a second signature',
      /(<ds:Signature\b[\s\S]*<\/ds:Signature>)/,
      '$1$1',
      'saml_signature_wrapping:signature_count',
    ],
  ];
  for (const [what, search, replacement, expected] of edits) {
    it(`when ${what}, then it is refused (${expected})`, () => {
      const xml = signedDocument({ keys: rsa }).replace(search, replacement);
      assert.equal(verdict(xml, keys()), expected);
    });
  }
});
