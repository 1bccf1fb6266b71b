import { generateKeyPairSync, randomUUID } from 'node:crypto';
import samlify from 'samlify';
import { installSamlSchemaValidator } from '../../src/federation/saml/schema-validator.js';
import { createSelfSignedCertificate } from '../../src/platform/crypto/index.js';

/**
 * A SAML identity provider for the tests, built on samlify's IdentityProvider role: it
 * reads Latchkey's AuthnRequests (verifying their signature when the connection signs
 * them) and answers with Responses it builds from samlify's template and signs with
 * samlify. Each Response can be made wrong one way at a time; attacks that need the XML
 * edited after signing edit the decoded XML (see saml-attacks.ts).
 */

installSamlSchemaValidator();

const BINDING = samlify.Constants.namespace.binding;
export const NAME_ID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export interface KeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

/** An RSA key and a self-signed certificate for it, valid from yesterday for a year. */
export function samlKeyPair(commonName: string): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Date.now();
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificatePem: createSelfSignedCertificate({
      privateKey,
      publicKey,
      commonName,
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 365 * 86_400_000),
    }),
  };
}

/** Latchkey's SP of one connection, as the IdP knows it (from Latchkey's SP metadata). */
export interface SpTarget {
  entityId: string;
  acsUrl: string;
  metadataXml: string;
}

export interface ResponseOptions {
  /** The AuthnRequest answered; null: unsolicited (IdP-initiated). */
  inResponseTo: string | null;
  nameId: string;
  nameIdFormat?: string;
  attributes?: Record<string, string | string[]>;
  sessionIndex?: string;
  assertionId?: string;
  issuer?: string;
  audience?: string;
  recipient?: string;
  destination?: string;
  statusCode?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  /** Which parts are signed (default both). */
  sign?: { response: boolean; assertion: boolean };
  /** Encrypt the assertion for the SP (with its metadata's encryption certificate). */
  encrypt?: boolean;
  /** The xmlenc algorithms (default AES-256-CBC under RSA-OAEP, samlify's). */
  encryption?: { data?: string; key?: string };
  /** Whose key signs: the IdP's (default) or another pair with the same entity id. */
  signWith?: KeyPair;
  /** Edits the Response XML before it is signed (shapes the template cannot express). */
  edit?: (xml: string) => string;
}

export interface SamlTestIdp {
  entityId: string;
  ssoUrl: string;
  keys: KeyPair;
  /** Reads the AuthnRequest of Latchkey's redirect; throws when its signature is wrong. */
  readRequest(
    target: SpTarget,
    redirectUrl: string,
    options?: { expectSigned?: boolean },
  ): Promise<{ id: string; relayState: string | null; acsUrl: string | null; issuer: string }>;
  /** A SAMLResponse (the base64 form value) for Latchkey. */
  respond(sp: SpTarget, options: ResponseOptions): Promise<string>;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function createSamlTestIdp(
  options: { entityId?: string; keys?: KeyPair } = {},
): SamlTestIdp {
  const entityId = options.entityId ?? `https://idp.${randomUUID().slice(0, 8)}.test/saml`;
  const ssoUrl = `${entityId}/sso`;
  const keys = options.keys ?? samlKeyPair('Test IdP signing');

  const idpFor = (
    signer: KeyPair,
    wantAuthnRequestsSigned: boolean,
    encrypt: boolean,
    encryption: ResponseOptions['encryption'] = {},
  ) =>
    samlify.IdentityProvider({
      ...(encryption.data ? { dataEncryptionAlgorithm: encryption.data } : {}),
      ...(encryption.key ? { keyEncryptionAlgorithm: encryption.key } : {}),
      entityID: entityId,
      privateKey: signer.privateKeyPem,
      signingCert: signer.certificatePem,
      singleSignOnService: [{ Binding: BINDING.redirect, Location: ssoUrl }],
      singleLogoutService: [{ Binding: BINDING.redirect, Location: `${entityId}/slo` }],
      nameIDFormat: [NAME_ID_EMAIL],
      wantAuthnRequestsSigned,
      isAssertionEncrypted: encrypt,
      requestSignatureAlgorithm: samlify.Constants.algorithms.signature.RSA_SHA256,
    });

  return {
    entityId,
    ssoUrl,
    keys,

    async readRequest(target, redirectUrl, { expectSigned = true } = {}) {
      const url = new URL(redirectUrl);
      const raw = url.search.slice(1);
      // The octet string the signature covers: the raw query parameters, in order.
      const octetString = raw
        .split('&')
        .filter((p) => /^(SAMLRequest|RelayState|SigAlg)=/.test(p))
        .join('&');
      // As a web framework hands them over: decoded (samlify decodes again, harmlessly).
      const query = Object.fromEntries(url.searchParams);
      const parsed = await idpFor(keys, expectSigned, false).parseLoginRequest(
        samlify.ServiceProvider({ metadata: target.metadataXml }),
        'redirect',
        { query, octetString },
      );
      const request = parsed.extract.request as Record<string, string>;
      return {
        id: request.id!,
        relayState: url.searchParams.get('RelayState'),
        acsUrl: request.assertionConsumerServiceUrl ?? null,
        issuer: String(parsed.extract.issuer),
      };
    },

    async respond(target, o) {
      const now = Date.now();
      const notBefore = (o.notBefore ?? new Date(now - 1000)).toISOString();
      const notOnOrAfter = (o.notOnOrAfter ?? new Date(now + 5 * 60_000)).toISOString();
      const sign = o.sign ?? { response: true, assertion: true };
      const signer = o.signWith ?? keys;
      const sp = samlify.ServiceProvider({
        entityID: target.entityId,
        assertionConsumerService: [{ Binding: BINDING.post, Location: target.acsUrl }],
        wantAssertionsSigned: sign.assertion,
        wantMessageSigned: sign.response,
        ...(o.encrypt ? { metadata: target.metadataXml } : {}),
      });
      const attributes = Object.entries(o.attributes ?? {})
        .map(
          ([name, value]) =>
            `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${(Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`,
        )
        .join('');
      const authnStatement = `<saml:AuthnStatement AuthnInstant="${new Date(now).toISOString()}" SessionIndex="${escapeXml(o.sessionIndex ?? `_session-${randomUUID()}`)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
      const responseId = `_${randomUUID()}`;
      const idp = idpFor(signer, false, o.encrypt ?? false, o.encryption);
      const built = await idp.createLoginResponse(
        sp,
        { extract: { request: { id: o.inResponseTo ?? '' } } },
        'post',
        { email: o.nameId },
        {
          // As IdPs do: sign the assertion, encrypt it, then sign the Response around it.
          encryptThenSign: o.encrypt ?? false,
          customTagReplacement: (template: string) => ({
            id: responseId,
            context: (o.edit ?? ((xml: string) => xml))(
              samlify.SamlLib.replaceTagsByValue(
                template
                  .replace('{AuthnStatement}', authnStatement)
                  .replace(
                    '{AttributeStatement}',
                    attributes
                      ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`
                      : '',
                  ),
                {
                  ID: responseId,
                  AssertionID: o.assertionId ?? `_${randomUUID()}`,
                  Destination: o.destination ?? target.acsUrl,
                  Audience: o.audience ?? target.entityId,
                  SubjectRecipient: o.recipient ?? target.acsUrl,
                  Issuer: o.issuer ?? entityId,
                  IssueInstant: new Date(now).toISOString(),
                  StatusCode: o.statusCode ?? STATUS_SUCCESS,
                  ConditionsNotBefore: notBefore,
                  ConditionsNotOnOrAfter: notOnOrAfter,
                  SubjectConfirmationDataNotOnOrAfter: notOnOrAfter,
                  NameIDFormat: o.nameIdFormat ?? NAME_ID_EMAIL,
                  NameID: o.nameId,
                  InResponseTo: o.inResponseTo,
                },
              ),
            ),
          }),
        },
      );
      return built.context;
    },
  };
}
