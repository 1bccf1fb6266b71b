import type { GuideAttributes, OidcGuide, SamlGuide } from '../../portal/index.js';
import { html, type Html } from './html.js';
import { csrfField } from './portal-pages.js';

/*
 * The SSO step's two halves per protocol: the values to enter at the IdP (each with a
 * copy button, by the Domain step's script) and the form that brings the IdP's values
 * back. The pages around them are portal-sso-pages.ts.
 */

/** Latchkey's side of a SAML connection, as the admin enters it at the IdP. */
export interface SamlValues {
  acsUrl: string;
  entityId: string;
  metadataUrl: string;
  nameIdFormat: string;
  attributes: GuideAttributes;
}

/** Latchkey's side of an OIDC connection, and the claims it reads. */
export interface OidcValues {
  redirectUri: string;
  scopes: string[];
  claims: { subject: string; email: string; emailVerified: string; name: string; groups: string };
}

/** A form's typed values (never a secret) and the one field refused, with why. */
export interface FormState {
  values: Record<string, string>;
  error: { field: string; message: string } | null;
}

export const emptyForm: FormState = { values: {}, error: null };

/** A value to copy: selectable text, and a Copy button where script runs. */
const copyable = (label: string, value: string) => html`<code data-copy="${label}">${value}</code>`;

const row = (term: string, value: Html | string) =>
  html`<dt>${term}</dt>
    <dd>${value}</dd>`;

export function samlValuesBlock(values: SamlValues, guide: SamlGuide): Html {
  const attribute = (what: keyof GuideAttributes) =>
    html`<tr>
      <td>${copyable(`${what} attribute name`, values.attributes[what])}</td>
      <td>${guide.sources[what]}</td>
    </tr>`;
  return html`<dl class="meta">
      ${row(guide.labels.acsUrl, copyable('ACS URL', values.acsUrl))}
      ${row(guide.labels.entityId, copyable('SP entity id', values.entityId))}
      ${row('SP metadata URL', copyable('SP metadata URL', values.metadataUrl))}
      ${row(guide.labels.nameIdFormat, copyable('NameID format', values.nameIdFormat))}
    </dl>
    <p>${guide.labels.attributes}: add these attribute statements, named exactly so.</p>
    <table>
      <thead>
        <tr>
          <th scope="col">Attribute name</th>
          <th scope="col">Value at the IdP</th>
        </tr>
      </thead>
      <tbody>
        ${attribute('email')} ${attribute('name')} ${attribute('groups')}
      </tbody>
    </table>`;
}

export function oidcValuesBlock(values: OidcValues, guide: OidcGuide): Html {
  const { claims } = values;
  return html`<dl class="meta">
      ${row(guide.labels.redirectUri, copyable('redirect URI', values.redirectUri))}
      ${row('Scopes', copyable('scopes', values.scopes.join(' ')))}
      ${row('Claims read', html`<code>${claims.subject}</code> (the user's stable id), <code>${claims.email}</code>, <code>${claims.emailVerified}</code>, <code>${claims.name}</code>, <code>${claims.groups}</code>`)}
    </dl>
    <p class="hint">${guide.groupsClaim}</p>`;
}

/** One input with its label, hint and error: the error is tied to it (aria-describedby). */
function field(
  state: FormState,
  f: {
    name: string;
    label: string;
    hint?: string;
    type?: 'text' | 'password' | 'file' | 'textarea';
    required?: boolean;
    extra?: Html;
  },
): Html {
  const error = state.error?.field === f.name ? state.error.message : null;
  const hintId = f.hint ? `${f.name}-hint` : null;
  const errorId = error ? `${f.name}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const described = html`${describedBy ? html`aria-describedby="${describedBy}"` : null}
  ${error ? html`aria-invalid="true"` : null} ${f.required ? html`required` : null}`;
  // A secret or a file is never sent back: it is typed or chosen again.
  const value = f.type === 'password' || f.type === 'file' ? '' : (state.values[f.name] ?? '');
  const input =
    f.type === 'textarea'
      ? html`<textarea id="${f.name}" name="${f.name}" rows="8" spellcheck="false" ${described}>
${value}</textarea>`
      : html`<input
          id="${f.name}"
          name="${f.name}"
          type="${f.type ?? 'text'}"
          ${f.type === 'file' ? null : html`value="${value}"`}
          ${f.extra ?? null}
          ${described}
        />`;
  return html`<div>
    <label for="${f.name}">${f.label}</label>
    ${f.hint ? html`<p id="${hintId}" class="hint">${f.hint}</p>` : ''}
    ${error ? html`<p id="${errorId}" class="notice error" role="alert">${error}</p>` : ''} ${input}
  </div>`;
}

/** A refusal about the form as a whole (out of date, or exists already), at its top. */
const formError = (state: FormState) =>
  state.error?.field === 'form'
    ? html`<p class="notice error" role="alert">${state.error.message}</p>`
    : '';

/** SAML: the name, then the IdP's metadata by URL, by file or pasted (one of the three). */
export function samlForm(options: {
  action: string;
  csrf: string;
  reservedId: string;
  guide: SamlGuide;
  state: FormState;
  maxMetadataKb: number;
}): Html {
  const { state, guide } = options;
  return html`<form
    method="post"
    action="${options.action}"
    enctype="multipart/form-data"
    class="stack"
  >
    ${formError(state)} ${csrfField(options.csrf)}
    <input type="hidden" name="connection_id" value="${options.reservedId}" />
    ${field(state, { name: 'name', label: 'Connection name', required: true })}
    <p class="hint">${guide.bringBack}</p>
    <p>Give the IdP's metadata one way: its URL, its file, or its text.</p>
    ${field(state, {
      name: 'idp_metadata_url',
      label: 'IdP metadata URL',
      extra: html`inputmode="url" placeholder="https://…"`,
    })}
    ${field(state, {
      name: 'idp_metadata_file',
      label: 'IdP metadata file',
      hint: `An XML file, at most ${options.maxMetadataKb} KB.`,
      type: 'file',
      extra: html`accept=".xml,application/xml,text/xml,application/samlmetadata+xml"`,
    })}
    ${field(state, { name: 'idp_metadata_xml', label: 'IdP metadata XML (pasted)', type: 'textarea' })}
    <button type="submit">Create draft connection</button>
  </form>`;
}

/** OIDC: the name, issuer, client id and secret; discovery is checked when it is sent. */
export function oidcForm(options: {
  action: string;
  csrf: string;
  reservedId: string;
  guide: OidcGuide;
  state: FormState;
}): Html {
  const { state, guide } = options;
  return html`<form method="post" action="${options.action}" class="stack">
    ${formError(state)} ${csrfField(options.csrf)}
    <input type="hidden" name="connection_id" value="${options.reservedId}" />
    ${field(state, { name: 'name', label: 'Connection name', required: true })}
    <p class="hint">${guide.bringBack}</p>
    ${field(state, {
      name: 'issuer',
      label: 'Issuer',
      hint: `For example ${guide.issuerExample}. Its discovery document is fetched when you send this form.`,
      required: true,
      extra: html`inputmode="url"`,
    })}
    ${field(state, { name: 'client_id', label: guide.labels.clientId, required: true })}
    ${field(state, {
      name: 'client_secret',
      label: guide.labels.clientSecret,
      type: 'password',
      required: true,
      extra: html`autocomplete="off"`,
    })}
    <button type="submit">Check and create draft connection</button>
  </form>`;
}
