import { createHash } from 'node:crypto';
import {
  SAML_NAME_ID_EMAIL,
  SAML_NAME_ID_PERSISTENT,
  type DemoSamlAccount,
  type DemoSamlSp,
} from './saml-idp-model.js';

/**
 * What the development SAML IdP releases to one SP, as its admin set the SP's application
 * up (DemoSamlSp.release): the NameID and the attribute statement of an account.
 */

const ATTRNAME_BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The NameID and its format: the email address, or (persistent) an opaque stable id. */
export function releasedNameId(sp: DemoSamlSp, account: DemoSamlAccount) {
  if (sp.release?.nameIdFormat === 'persistent') {
    const id = createHash('sha256').update(account.email).digest('hex').slice(0, 16);
    return { format: SAML_NAME_ID_PERSISTENT, value: `emp-${id}` };
  }
  return { format: SAML_NAME_ID_EMAIL, value: account.email };
}

/** The saml:AttributeStatement of the attributes released (default email, name and groups). */
export function releasedAttributeStatement(sp: DemoSamlSp, account: DemoSamlAccount): string {
  const released = sp.release?.attributes ?? ['email', 'name', 'groups'];
  const attributes = Object.entries({
    email: [account.email],
    name: [account.name],
    groups: account.groups,
  })
    .filter(([name, values]) => values.length > 0 && released.includes(name as 'email'))
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${name}" NameFormat="${ATTRNAME_BASIC}">${values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`,
    )
    .join('');
  return `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`;
}
