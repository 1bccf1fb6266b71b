import { randomUUID, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import samlify from 'samlify';
import { NAME_ID_EMAIL, STATUS_SUCCESS, type KeyPair, type SamlTestIdp } from './saml-idp.js';

/**
 * The Single Logout side of the test IdP: LogoutRequests and LogoutResponses for
 * Latchkey's SLO URL over HTTP-Redirect (query-string signature) or HTTP-POST (enveloped
 * XML signature), each of which can be made wrong one way at a time; and reading
 * Latchkey's own logout messages as the IdP would, with samlify's IdentityProvider role
 * verifying their signatures against Latchkey's SP metadata.
 */

const BINDING = samlify.Constants.namespace.binding;
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const NS =
  'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface LogoutMessageOptions {
  /** Where the message says it is going (default: the SLO URL it is sent to). */
  destination?: string;
  issuer?: string;
  issueInstant?: Date;
  notOnOrAfter?: Date;
  /** The signer; null: unsigned. Default: the IdP's own key. */
  signWith?: KeyPair | null;
  relayState?: string;
  id?: string;
}

export interface LogoutRequestOptions extends LogoutMessageOptions {
  nameId: string;
  sessionIndex?: string;
}

export interface LogoutResponseOptions extends LogoutMessageOptions {
  inResponseTo: string;
  statusCode?: string;
}

function requestXml(idp: SamlTestIdp, sloUrl: string, o: LogoutRequestOptions) {
  const id = o.id ?? `_${randomUUID()}`;
  const notOnOrAfter = o.notOnOrAfter ? ` NotOnOrAfter="${o.notOnOrAfter.toISOString()}"` : '';
  const xml =
    `<samlp:LogoutRequest ${NS} ID="${id}" Version="2.0" IssueInstant="${(o.issueInstant ?? new Date()).toISOString()}" Destination="${escapeXml(o.destination ?? sloUrl)}"${notOnOrAfter}>` +
    `<saml:Issuer>${escapeXml(o.issuer ?? idp.entityId)}</saml:Issuer>` +
    `<saml:NameID Format="${NAME_ID_EMAIL}">${escapeXml(o.nameId)}</saml:NameID>` +
    (o.sessionIndex
      ? `<samlp:SessionIndex>${escapeXml(o.sessionIndex)}</samlp:SessionIndex>`
      : '') +
    `</samlp:LogoutRequest>`;
  return { id, xml };
}

function responseXml(idp: SamlTestIdp, sloUrl: string, o: LogoutResponseOptions) {
  const id = o.id ?? `_${randomUUID()}`;
  const xml =
    `<samlp:LogoutResponse ${NS} ID="${id}" Version="2.0" IssueInstant="${(o.issueInstant ?? new Date()).toISOString()}" Destination="${escapeXml(o.destination ?? sloUrl)}" InResponseTo="${escapeXml(o.inResponseTo)}">` +
    `<saml:Issuer>${escapeXml(o.issuer ?? idp.entityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${o.statusCode ?? STATUS_SUCCESS}"/></samlp:Status>` +
    `</samlp:LogoutResponse>`;
  return { id, xml };
}

/** HTTP-Redirect: deflate, base64, URL-encode; the signature covers the octet string. */
function redirectUrl(
  sloUrl: string,
  param: 'SAMLRequest' | 'SAMLResponse',
  xml: string,
  signer: KeyPair | null,
  relayState: string | undefined,
): string {
  let octets = `${param}=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`;
  if (relayState !== undefined) octets += `&RelayState=${encodeURIComponent(relayState)}`;
  if (!signer) return `${sloUrl}?${octets}`;
  octets += `&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
  const signature = sign('RSA-SHA256', Buffer.from(octets), signer.privateKeyPem);
  return `${sloUrl}?${octets}&Signature=${encodeURIComponent(signature.toString('base64'))}`;
}

/** HTTP-POST: an enveloped signature after the Issuer, with the signer's certificate in KeyInfo. */
function signedPost(xml: string, root: string, signer: KeyPair | null): string {
  if (!signer) return Buffer.from(xml).toString('base64');
  return samlify.SamlLib.constructSAMLSignature({
    rawSamlMessage: xml,
    referenceTagXPath: `/*[local-name(.)='${root}']`,
    privateKey: signer.privateKeyPem,
    signingCert: signer.certificatePem
      .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
      .replace(/\s+/g, ''),
    signatureAlgorithm: RSA_SHA256,
    signatureConfig: {
      prefix: 'ds',
      location: {
        reference: `/*[local-name(.)='${root}']/*[local-name(.)='Issuer']`,
        action: 'after',
      },
    },
  } as never);
}

export function logoutIdp(idp: SamlTestIdp) {
  const signerOf = (o: LogoutMessageOptions) => (o.signWith === undefined ? idp.keys : o.signWith);
  return {
    /** A LogoutRequest as a redirect URL to the SLO URL. */
    requestRedirect(sloUrl: string, o: LogoutRequestOptions): { id: string; url: string } {
      const { id, xml } = requestXml(idp, sloUrl, o);
      return { id, url: redirectUrl(sloUrl, 'SAMLRequest', xml, signerOf(o), o.relayState) };
    },
    /** A LogoutRequest as the SAMLRequest form value of an HTTP-POST. */
    requestPost(sloUrl: string, o: LogoutRequestOptions): { id: string; samlRequest: string } {
      const { id, xml } = requestXml(idp, sloUrl, o);
      return { id, samlRequest: signedPost(xml, 'LogoutRequest', signerOf(o)) };
    },
    /** A LogoutResponse to Latchkey's LogoutRequest, as a redirect URL to the SLO URL. */
    responseRedirect(sloUrl: string, o: LogoutResponseOptions): string {
      const { xml } = responseXml(idp, sloUrl, o);
      return redirectUrl(sloUrl, 'SAMLResponse', xml, signerOf(o), o.relayState);
    },
    /** A LogoutResponse as the SAMLResponse form value of an HTTP-POST. */
    responsePost(sloUrl: string, o: LogoutResponseOptions): string {
      const { xml } = responseXml(idp, sloUrl, o);
      return signedPost(xml, 'LogoutResponse', signerOf(o));
    },

    /**
     * samlify's own IdentityProvider role building the message (as the development IdP
     * does), signed over the query string: a LogoutRequest or a LogoutResponse to the SP
     * of this metadata, over HTTP-Redirect.
     */
    samlify(spMetadataXml: string) {
      const entity = samlify.IdentityProvider({
        entityID: idp.entityId,
        privateKey: idp.keys.privateKeyPem,
        signingCert: idp.keys.certificatePem,
        singleSignOnService: [{ Binding: BINDING.redirect, Location: idp.ssoUrl }],
        singleLogoutService: [{ Binding: BINDING.redirect, Location: `${idp.entityId}/slo` }],
        nameIDFormat: [NAME_ID_EMAIL],
        requestSignatureAlgorithm: RSA_SHA256,
      });
      const sp = samlify.ServiceProvider({
        metadata: spMetadataXml,
        wantLogoutRequestSigned: true,
        wantLogoutResponseSigned: true,
      });
      return {
        request: (nameId: string, sessionIndex?: string) =>
          entity.createLogoutRequest(sp, 'redirect', {
            logoutNameID: nameId,
            ...(sessionIndex ? { sessionIndex } : {}),
          }),
        response: (inResponseTo: string) =>
          entity.createLogoutResponse(
            sp,
            { extract: { request: { id: inResponseTo } } },
            'redirect',
          ),
      };
    },

    /**
     * Reads a logout message Latchkey sent to the IdP's SLO URL (HTTP-Redirect), as the
     * IdP would: samlify verifies its query-string signature against Latchkey's SP
     * metadata (throwing when it is unsigned or wrong) and extracts it.
     */
    async read(
      spMetadataXml: string,
      url: string,
      kind: 'LogoutRequest' | 'LogoutResponse',
    ): Promise<{ extract: Record<string, unknown>; xml: string; relayState: string | null }> {
      const parsedUrl = new URL(url);
      const param = kind === 'LogoutRequest' ? 'SAMLRequest' : 'SAMLResponse';
      const octetString = parsedUrl.search
        .slice(1)
        .split('&')
        .filter((p) => p.startsWith(`${param}=`) || /^(RelayState|SigAlg)=/.test(p))
        .join('&');
      const entity = samlify.IdentityProvider({
        entityID: idp.entityId,
        signingCert: idp.keys.certificatePem,
        singleSignOnService: [{ Binding: BINDING.redirect, Location: idp.ssoUrl }],
        singleLogoutService: [{ Binding: BINDING.redirect, Location: `${idp.entityId}/slo` }],
        wantLogoutRequestSigned: true,
        wantLogoutResponseSigned: true,
      });
      const sp = samlify.ServiceProvider({ metadata: spMetadataXml });
      const request = { query: Object.fromEntries(parsedUrl.searchParams), octetString };
      const parsed =
        kind === 'LogoutRequest'
          ? await entity.parseLogoutRequest(sp, 'redirect', request)
          : await entity.parseLogoutResponse(sp, 'redirect', request);
      return {
        extract: parsed.extract,
        xml: parsed.samlContent,
        relayState: parsedUrl.searchParams.get('RelayState'),
      };
    },
  };
}
