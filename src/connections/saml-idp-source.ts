import { AppError, type FieldIssue } from '../platform/errors.js';
import {
  assertOutboundUrl,
  guardedFetch,
  type HostLookup,
  type OutboundPolicy,
} from '../platform/net/index.js';
import type { SamlSettings } from './connection.js';
import { checkCertificate, MAX_METADATA_BYTES, parseIdpMetadata } from './saml-metadata.js';

/** The IdP half of SAML settings, from whichever source an admin gave. */
export type IdpSettings = Pick<
  SamlSettings,
  'idpEntityId' | 'idpSsoUrl' | 'idpSloUrl' | 'idpCertificates' | 'idpMetadataUrl'
>;

export interface IdpSourceInput {
  idp_metadata_xml?: string | undefined;
  idp_metadata_url?: string | undefined;
  idp_entity_id?: string | undefined;
  idp_sso_url?: string | undefined;
  idp_slo_url?: string | null | undefined;
  idp_certificates?: string[] | undefined;
}

const invalid = (fields: FieldIssue[]) =>
  new AppError('validation_failed', 'The request body is invalid.', { fields });

/** Every certificate must parse and be unexpired; returns them as PEM. */
export function checkCertificates(
  certificates: readonly string[],
  now: Date,
  fieldOf: (index: number) => string,
  describe: (index: number, message: string) => string = (_i, message) => message,
): string[] {
  const issues: FieldIssue[] = [];
  const pems: string[] = [];
  certificates.forEach((certificate, index) => {
    const result = checkCertificate(certificate, now);
    if (result.ok) pems.push(result.pem);
    else issues.push({ field: fieldOf(index), message: describe(index, result.message) });
  });
  if (issues.length) throw invalid(issues);
  return pems;
}

export function createIdpSourceResolver(deps: {
  outbound: OutboundPolicy;
  now: () => Date;
  lookup?: HostLookup | undefined;
}) {
  const { outbound } = deps;

  /** Browsers are sent to SSO/SLO endpoints: https, or http to loopback when allowed. */
  const browserUrlAllowed = (value: string) => {
    try {
      const url = new URL(value);
      if (url.protocol === 'https:') return true;
      assertOutboundUrl(url, { ...outbound, allowedPrivateHosts: [] });
      return true;
    } catch {
      return false;
    }
  };

  const fromMetadata = (xml: string, field: string, metadataUrl: string | null): IdpSettings => {
    const metadata = parseIdpMetadata(xml, field);
    for (const [what, url] of [
      ['SingleSignOnService', metadata.ssoUrl],
      ['SingleLogoutService', metadata.sloUrl],
    ] as const) {
      if (url !== null && !browserUrlAllowed(url)) {
        throw invalid([{ field, message: `has a ${what} Location that is not an https URL` }]);
      }
    }
    const certificates = checkCertificates(
      metadata.certificates,
      deps.now(),
      () => field,
      (index, message) => `signing certificate ${index + 1} ${message}`,
    );
    return {
      idpEntityId: metadata.entityId,
      idpSsoUrl: metadata.ssoUrl,
      idpSloUrl: metadata.sloUrl,
      idpCertificates: certificates,
      idpMetadataUrl: metadataUrl,
    };
  };

  const fetchMetadata = async (url: string): Promise<string> => {
    const field = 'idp_metadata_url';
    const failed = (message: string, cause?: unknown) =>
      new AppError('metadata_fetch_failed', `The IdP metadata could not be fetched: ${message}`, {
        status: 422,
        fields: [{ field, message }],
        cause,
      });
    let response;
    try {
      response = await guardedFetch(
        url,
        { ...outbound, maxResponseBytes: Math.min(outbound.maxResponseBytes, MAX_METADATA_BYTES) },
        {
          headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
          ...(deps.lookup ? { lookup: deps.lookup } : {}),
        },
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'outbound_forbidden_target') {
        throw new AppError(error.code, error.message, {
          status: 400,
          fields: [{ field, message: error.message }],
        });
      }
      const reason =
        error instanceof AppError ? `${error.code}: ${error.message}` : 'the request failed';
      throw failed(reason, error);
    }
    if (response.status !== 200) throw failed(`the server answered HTTP ${response.status}`);
    return response.text();
  };

  return {
    /**
     * The IdP settings from an input's source, or null when it names none. A metadata URL
     * is fetched now, under the outbound policy, so a bad one is refused at once.
     */
    async resolve(input: IdpSourceInput): Promise<Partial<IdpSettings> | null> {
      let resolved: Partial<IdpSettings> | null = null;
      if (input.idp_metadata_xml !== undefined) {
        resolved = fromMetadata(input.idp_metadata_xml, 'idp_metadata_xml', null);
      } else if (input.idp_metadata_url !== undefined) {
        const xml = await fetchMetadata(input.idp_metadata_url);
        resolved = fromMetadata(xml, 'idp_metadata_url', input.idp_metadata_url);
      } else if (
        input.idp_entity_id !== undefined ||
        input.idp_sso_url !== undefined ||
        input.idp_certificates !== undefined
      ) {
        // Hand-entered fields replace what a metadata URL said; the URL no longer applies.
        resolved = { idpMetadataUrl: null };
        if (input.idp_entity_id !== undefined) resolved.idpEntityId = input.idp_entity_id;
        if (input.idp_sso_url !== undefined) resolved.idpSsoUrl = input.idp_sso_url;
        if (input.idp_certificates !== undefined) {
          resolved.idpCertificates = checkCertificates(
            input.idp_certificates,
            deps.now(),
            (index) => `idp_certificates.${index}`,
          );
        }
      }
      if (input.idp_slo_url !== undefined) {
        resolved = { ...resolved, idpSloUrl: input.idp_slo_url };
      }
      return resolved;
    },
  };
}
