import type { SamlGuide } from '../../portal/index.js';
import type { AppError } from '../../platform/errors.js';
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
function xmlOf(file: UploadedFile, maxKb: number): { xml: string } | { refused: FieldRefusal } {
  const refused = (message: string) => ({ refused: { field: 'idp_metadata_file', message } });
  if (file.truncated) return refused(`The metadata file is larger than ${maxKb} KB.`);
  const type = file.mimeType.toLowerCase();
  if (!XML_TYPES.has(type) && !UNTYPED.has(type)) {
    return refused(`The metadata file must be an XML file; this one is ${type}.`);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(file.data);
  // An XML document starts with "<" (after a byte-order mark and white space, if any).
  if (!/^\uFEFF?\s*</.test(text) || text.includes('\uFFFD')) {
    return refused('The metadata file is not an XML document (UTF-8 text starting with "<").');
  }
  return { xml: text };
}

/** The create body of a SAML guide's form, or the field refused before anything is sent. */
export function samlCreateBody(
  guide: SamlGuide,
  fields: Record<string, string>,
  parts: MultipartParts,
  maxKb: number,
): { body: Record<string, unknown>; source: FormSource } | { refused: FieldRefusal } {
  if (parts.truncatedFields.includes('idp_metadata_xml')) {
    return {
      refused: {
        field: 'idp_metadata_xml',
        message: `The pasted metadata is larger than ${maxKb} KB.`,
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
          ? 'Give the metadata one way only: its URL, its file or its text.'
          : "Give the IdP's metadata: its URL, its file or its text.",
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
  const read = xmlOf(file!, maxKb);
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

const LABELS: Record<string, string> = {
  name: 'The name',
  issuer: 'The issuer',
  client_id: 'The client id',
  client_secret: 'The client secret',
  idp_metadata_url: 'The metadata URL',
  idp_metadata_xml: 'The metadata',
  idp_metadata_file: 'The metadata file',
};

/**
 * A refusal of the connection service as the field it is about and why: a rule of the
 * input ("The issuer must be an https URL."), a metadata fetch or parse that failed, or
 * a live check with its reason code (idp_unreachable, issuer_mismatch, client_rejected).
 */
export function refusalOf(error: AppError, source: FormSource): FieldRefusal {
  const issue = error.fields?.[0];
  if (!issue) return { field: 'form', message: `${error.message} (${error.code})` };
  const field = fieldOf(issue.field, source);
  if (error.code === 'connection_check_failed') {
    const [reason, ...rest] = issue.message.split(': ');
    return { field, message: `The check failed: ${rest.join(': ')} (${reason})` };
  }
  const label = LABELS[field] ?? 'This field';
  if (error.code === 'validation_failed') return { field, message: `${label} ${issue.message}.` };
  return { field, message: `${error.message} (${error.code})` };
}
