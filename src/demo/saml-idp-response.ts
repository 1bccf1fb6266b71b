import { randomUUID } from 'node:crypto';
import samlify from 'samlify';
import { RSA_SHA256, type DemoSamlEntities, type DemoSamlKeys } from './saml-idp-entities.js';
import type { DemoSamlAccount, DemoSamlSp } from './saml-idp-model.js';
import { escapeXml, releasedAttributeStatement, releasedNameId } from './saml-idp-release.js';

/**
 * The Responses the development SAML IdP posts to an SP's ACS (HTTP-POST binding), both
 * signed (RSA-SHA256): a sign-in (the Response and its assertion signed, Destination and
 * Recipient the ACS, Audience the SP, InResponseTo the AuthnRequest, an AuthnStatement
 * naming how the person signed in), or a refusal with a status (no assertion).
 */

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** SAML Core §3.2.2.2: the error is the IdP's (the responder's), not the request's. */
export const STATUS_RESPONDER = 'urn:oasis:names:tc:SAML:2.0:status:Responder';
/** SAML Core §3.2.2.2: the RequestedAuthnContext cannot be satisfied by the responder. */
export const STATUS_NO_AUTHN_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext';
const ASSERTION_LIFETIME_MS = 5 * 60_000;

/** What a Response answers: the AuthnRequest's ID and the SP that sent it. */
export interface Answering {
  requestId: string;
  sp: DemoSamlSp;
}

export function createDemoSamlResponses(deps: {
  entityId: string;
  entities: DemoSamlEntities;
  keys: DemoSamlKeys;
}) {
  const { entityId, entities, keys } = deps;

  /** A signed Response with a signed assertion for the account, its AuthnContextClassRef given. */
  const signIn = async (
    to: Answering,
    account: DemoSamlAccount,
    classRef: string,
  ): Promise<string> => {
    const now = Date.now();
    const notBefore = new Date(now - 1000).toISOString();
    const notOnOrAfter = new Date(now + ASSERTION_LIFETIME_MS).toISOString();
    const nameId = releasedNameId(to.sp, account);
    const authnStatement = `<saml:AuthnStatement AuthnInstant="${new Date(now).toISOString()}" SessionIndex="_session-${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>${escapeXml(classRef)}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
    const responseId = `_${randomUUID()}`;
    const built = await entities.idp.createLoginResponse(
      entities.spEntity(to.sp),
      { extract: { request: { id: to.requestId } } },
      'post',
      { email: account.email },
      {
        customTagReplacement: (template: string) => ({
          id: responseId,
          context: samlify.SamlLib.replaceTagsByValue(
            template
              .replace('{AuthnStatement}', authnStatement)
              .replace('{AttributeStatement}', releasedAttributeStatement(to.sp, account)),
            {
              ID: responseId,
              AssertionID: `_${randomUUID()}`,
              Destination: to.sp.acsUrl,
              Audience: to.sp.entityId,
              SubjectRecipient: to.sp.acsUrl,
              Issuer: entityId,
              IssueInstant: new Date(now).toISOString(),
              StatusCode: STATUS_SUCCESS,
              ConditionsNotBefore: notBefore,
              ConditionsNotOnOrAfter: notOnOrAfter,
              SubjectConfirmationDataNotOnOrAfter: notOnOrAfter,
              NameIDFormat: nameId.format,
              NameID: nameId.value,
              InResponseTo: to.requestId,
            },
          ),
        }),
      },
    );
    return built.context;
  };

  /**
   * A signed Response that refuses the request with a status (SAML Core §3.2.2.2): a
   * top-level code, a second-level one saying why, and a message for the SP's logs.
   */
  const refusal = (
    to: Answering,
    status: { top: string; second: string; message: string },
  ): string => {
    const xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
      ` ID="_${randomUUID()}" Version="2.0" IssueInstant="${new Date().toISOString()}"` +
      ` Destination="${escapeXml(to.sp.acsUrl)}" InResponseTo="${escapeXml(to.requestId)}">` +
      `<saml:Issuer>${escapeXml(entityId)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="${status.top}"><samlp:StatusCode Value="${status.second}"/></samlp:StatusCode>` +
      `<samlp:StatusMessage>${escapeXml(status.message)}</samlp:StatusMessage></samlp:Status>` +
      `</samlp:Response>`;
    return samlify.SamlLib.constructSAMLSignature({
      rawSamlMessage: xml,
      isMessageSigned: true,
      privateKey: keys.privateKeyPem,
      // samlify takes the certificate as its metadata holds it: the base64 body, no armour.
      signingCert: keys.certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''),
      signatureAlgorithm: RSA_SHA256,
      signatureConfig: {
        prefix: 'ds',
        location: {
          reference: "/*[local-name(.)='Response']/*[local-name(.)='Issuer']",
          action: 'after',
        },
      },
    });
  };

  return { signIn, refusal };
}

export type DemoSamlResponses = ReturnType<typeof createDemoSamlResponses>;
