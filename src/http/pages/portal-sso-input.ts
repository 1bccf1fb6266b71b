import type { SamlGuide } from '../../portal/index.js';
import type { AppError } from '../../platform/errors.js';
import type { MessageKey, Translator } from '../i18n/translator.js';
import type { MultipartParts, UploadedFile } from './multipart-form.js';

/*
 * The SSO step's forms in the connection service's words: the create body a form makes,
 * and a refusal of the service (or of the form itself) as the one field it is about and
 * why, so the page can tie the reason to that field.
 */

/** Which of the form's ways the IdP's values came: SAML metadata URL, file or text; OIDC. */
export type FormSource = 'url' | 'file' | 'xml' | 'oidc';

export interface FieldRefusal {
  field: string;
  message: string;
}

/** What browsers declare for an XML file; octet-stream for a file whose name says nothing. */
const XML_TYPES = new Set(['application/xml', 'text/xml', 'application/samlmetadata+xml']);
const UNTYPED = new Set(['application/octet-stream', '']);

/** The file's text if it is an XML file, or why it is not. */
function xmlOf(
  { t }: Translator,
  file: UploadedFile,
  maxKb: number,
): { xml: string } | { refused: FieldRefusal } {
  const refused = (message: string) => ({ refused: { field: 'idp_metadata_file', message } });
  if (file.truncated) return refused(t('portal.sso.refused.fileTooLarge', { count: maxKb }));
  const type = file.mimeType.toLowerCase();
  if (!XML_TYPES.has(type) && !UNTYPED.has(type)) {
    return refused(t('portal.sso.refused.fileNotXml', { type }));
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(file.data);
  // An XML document starts with "<" (after a byte-order mark and white space, if any).
  if (!/^\uFEFF?\s*</.test(text) || text.includes('\uFFFD')) {
    return refused(t('portal.sso.refused.fileNotXmlText'));
  }
  return { xml: text };
}

/** The create body of a SAML guide's form, or the field refused before anything is sent. */
export function samlCreateBody(
  text: Translator,
  guide: SamlGuide,
  fields: Record<string, string>,
  parts: MultipartParts,
  maxKb: number,
): { body: Record<string, unknown>; source: FormSource } | { refused: FieldRefusal } {
  if (parts.truncatedFields.includes('idp_metadata_xml')) {
    return {
      refused: {
        field: 'idp_metadata_xml',
        message: text.t('portal.sso.refused.pastedTooLarge', { count: maxKb }),
      },
    };
  }
  const url = (fields.idp_metadata_url ?? '').trim();
  const pasted = (fields.idp_metadata_xml ?? '').trim();
  // A file input left empty still sends a part, with no name and no bytes.
  const file = parts.files.find(
    (f) => f.field === 'idp_metadata_file' && (f.filename !== '' || f.data.length > 0),
  );
  const given = [url && 'url', file && 'file', pasted && 'xml'].filter(Boolean);
  if (given.length !== 1) {
    return {
      refused: {
        field: 'idp_metadata_url',
        message: given.length
          ? text.t('portal.sso.refused.metadataTwice')
          : text.t('portal.sso.refused.metadataMissing'),
      },
    };
  }
  const base = {
    type: 'saml',
    name: fields.name ?? '',
    attribute_mapping: guide.attributes,
  };
  if (url) return { body: { ...base, idp_metadata_url: url }, source: 'url' };
  if (pasted) return { body: { ...base, idp_metadata_xml: pasted }, source: 'xml' };
  const read = xmlOf(text, file!, maxKb);
  if ('refused' in read) return read;
  return { body: { ...base, idp_metadata_xml: read.xml }, source: 'file' };
}

/** The form's field a service refusal is about. */
function fieldOf(serviceField: string, source: FormSource): string {
  // The uploaded file reaches the service as idp_metadata_xml.
  if (serviceField === 'idp_metadata_xml' && source === 'file') return 'idp_metadata_file';
  // The OIDC live checks: discovery and keys are the issuer's; the credentials the client's.
  if (serviceField === 'discovery' || serviceField === 'jwks') return 'issuer';
  if (serviceField === 'client_authentication') return 'client_secret';
  if (serviceField === '' || serviceField === 'idp_metadata_url') {
    return source === 'oidc'
      ? 'issuer'
      : source === 'url'
        ? 'idp_metadata_url'
        : fieldOf('idp_metadata_xml', source);
  }
  return serviceField;
}

/** Each field as a refusal names it (full keys, for the catalog test). */
const LABELS: Record<string, MessageKey> = {
  name: 'portal.sso.field.name',
  issuer: 'portal.sso.field.issuer',
  client_id: 'portal.sso.field.clientId',
  client_secret: 'portal.sso.field.clientSecret',
  idp_metadata_url: 'portal.sso.field.metadataUrl',
  idp_metadata_xml: 'portal.sso.field.metadataXml',
  idp_metadata_file: 'portal.sso.field.metadataFile',
};

/** What a live check's reason code means, where the page can say it in its own words. */
const CHECK_REASONS: Record<string, MessageKey> = {
  idp_unreachable: 'portal.sso.check.idpUnreachable',
  issuer_mismatch: 'portal.sso.check.issuerMismatch',
  client_rejected: 'portal.sso.check.clientRejected',
};

/**
 * A refusal of the connection service as the field it is about and why, in the page's
 * language: a rule of the input ("The issuer must be an https URL."), a metadata fetch or
 * parse that failed, or a live check with its reason code (idp_unreachable,
 * issuer_mismatch, client_rejected). Where the service's own detail has no words of the
 * page's (a parse error, a network error), it is quoted as the service wrote it.
 */
export function refusalOf(text: Translator, error: AppError, source: FormSource): FieldRefusal {
  const { t } = text;
  const issue = error.fields?.[0];
  const other = () => t('portal.form.refused', { detail: error.message, reason: error.code });
  if (!issue) return { field: 'form', message: other() };
  const field = fieldOf(issue.field, source);
  if (error.code === 'connection_check_failed') {
    const [reason = '', ...rest] = issue.message.split(': ');
    const known = CHECK_REASONS[reason];
    const detail = known ? t(known) : rest.join(': ');
    return { field, message: t('portal.sso.refused.check', { detail, reason }) };
  }
  if (error.code === 'metadata_fetch_failed') {
    return {
      field,
      message: t('portal.sso.refused.fetch', { detail: issue.message, reason: error.code }),
    };
  }
  if (error.code !== 'validation_failed') return { field, message: other() };
  const label = t(LABELS[field] ?? 'portal.sso.field.other');
  if (issue.message === 'is required') {
    return { field, message: t('portal.sso.refused.required', { label }) };
  }
  if (issue.message.startsWith('must be an https URL')) {
    return { field, message: t('portal.sso.refused.https', { label }) };
  }
  return { field, message: t('portal.sso.refused.invalid', { label, detail: issue.message }) };
}
