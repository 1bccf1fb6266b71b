import type { GuideAttributes, OidcGuide, SamlGuide } from '../../portal/index.js';
import type { PageText } from '../i18n/page-text.js';
import type { MessageKey } from '../i18n/translator.js';
import { html, type Html } from './html.js';
import { copyable, csrfField } from './portal-pages.js';

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

/**
 * A guide's words in the page's language: a `portal.guide.*` message, or a name as the
 * IdP's own admin UI shows it (kept as it is there).
 */
export const guideText = (text: PageText, said: string): string =>
  said.startsWith('portal.guide.') ? text.t(said as MessageKey) : said;

const row = (term: string, value: Html | string) =>
  html`<dt>${term}</dt>
    <dd>${value}</dd>`;

export function samlValuesBlock(text: PageText, values: SamlValues, guide: SamlGuide): Html {
  const { t } = text;
  const said = (words: string) => guideText(text, words);
  const attribute = (what: keyof GuideAttributes) =>
    html`<tr>
      <td>
        ${copyable(
          `${what} attribute name`,
          t('portal.copy.attribute', { name: what }),
          values.attributes[what],
        )}
      </td>
      <td>${said(guide.sources[what])}</td>
    </tr>`;
  return html`<dl class="meta">
      ${row(said(guide.labels.acsUrl), copyable('ACS URL', t('portal.copy.acsUrl'), values.acsUrl))}
      ${row(
        said(guide.labels.entityId),
        copyable('SP entity id', t('portal.copy.entityId'), values.entityId),
      )}
      ${row(
        t('portal.sso.values.spMetadataUrl'),
        copyable('SP metadata URL', t('portal.copy.metadataUrl'), values.metadataUrl),
      )}
      ${row(
        said(guide.labels.nameIdFormat),
        copyable('NameID format', t('portal.copy.nameIdFormat'), values.nameIdFormat),
      )}
    </dl>
    <p>${t('portal.sso.values.attributes', { label: said(guide.labels.attributes) })}</p>
    <table>
      <thead>
        <tr>
          <th scope="col">${t('portal.sso.values.attributeName')}</th>
          <th scope="col">${t('portal.sso.values.attributeSource')}</th>
        </tr>
      </thead>
      <tbody>
        ${attribute('email')} ${attribute('name')} ${attribute('groups')}
      </tbody>
    </table>`;
}

export function oidcValuesBlock(text: PageText, values: OidcValues, guide: OidcGuide): Html {
  const { t } = text;
  const { claims } = values;
  return html`<dl class="meta">
      ${row(
        guideText(text, guide.labels.redirectUri),
        copyable('redirect URI', t('portal.copy.redirectUri'), values.redirectUri),
      )}
      ${row(
        t('portal.sso.values.scopes'),
        copyable('scopes', t('portal.copy.scopes'), values.scopes.join(' ')),
      )}
      ${row(t('portal.sso.values.claims'), html`<code>${claims.subject}</code> ${t('portal.sso.values.subject')}, <code>${claims.email}</code>, <code>${claims.emailVerified}</code>, <code>${claims.name}</code>, <code>${claims.groups}</code>`)}
    </dl>
    <p class="hint">${guideText(text, guide.groupsClaim)}</p>`;
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
export function samlForm(
  text: PageText,
  options: {
    action: string;
    csrf: string;
    reservedId: string;
    guide: SamlGuide;
    state: FormState;
    maxMetadataKb: number;
  },
): Html {
  const { t } = text;
  const { state, guide } = options;
  return html`<form
    method="post"
    action="${options.action}"
    enctype="multipart/form-data"
    class="stack"
  >
    ${formError(state)} ${csrfField(options.csrf)}
    <input type="hidden" name="connection_id" value="${options.reservedId}" />
    ${field(state, { name: 'name', label: t('portal.sso.form.name'), required: true })}
    <p class="hint">${guideText(text, guide.bringBack)}</p>
    <p>${t('portal.sso.form.metadataOneWay')}</p>
    ${field(state, {
      name: 'idp_metadata_url',
      label: t('portal.sso.form.metadataUrl'),
      // A URL reads left to right, in a right-to-left page too.
      extra: html`inputmode="url" placeholder="https://…" dir="ltr"`,
    })}
    ${field(state, {
      name: 'idp_metadata_file',
      label: t('portal.sso.form.metadataFile'),
      hint: t('portal.sso.form.metadataFileHint', { count: options.maxMetadataKb }),
      type: 'file',
      extra: html`accept=".xml,application/xml,text/xml,application/samlmetadata+xml"`,
    })}
    ${field(state, {
      name: 'idp_metadata_xml',
      label: t('portal.sso.form.metadataXml'),
      type: 'textarea',
    })}
    <button type="submit">${t('portal.sso.form.createSaml')}</button>
  </form>`;
}

/** OIDC: the name, issuer, client id and secret; discovery is checked when it is sent. */
export function oidcForm(
  text: PageText,
  options: {
    action: string;
    csrf: string;
    reservedId: string;
    guide: OidcGuide;
    state: FormState;
  },
): Html {
  const { t } = text;
  const { state, guide } = options;
  return html`<form method="post" action="${options.action}" class="stack">
    ${formError(state)} ${csrfField(options.csrf)}
    <input type="hidden" name="connection_id" value="${options.reservedId}" />
    ${field(state, { name: 'name', label: t('portal.sso.form.name'), required: true })}
    <p class="hint">${guideText(text, guide.bringBack)}</p>
    ${field(state, {
      name: 'issuer',
      label: t('portal.sso.form.issuer'),
      hint: t('portal.sso.form.issuerHint', { example: guide.issuerExample }),
      required: true,
      extra: html`inputmode="url" dir="ltr"`,
    })}
    ${field(state, {
      name: 'client_id',
      label: guideText(text, guide.labels.clientId),
      required: true,
    })}
    ${field(state, {
      name: 'client_secret',
      label: guideText(text, guide.labels.clientSecret),
      type: 'password',
      required: true,
      extra: html`autocomplete="off"`,
    })}
    <button type="submit">${t('portal.sso.form.createOidc')}</button>
  </form>`;
}
