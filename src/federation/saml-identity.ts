import type { SamlSettings } from '../connections/index.js';
import type { MappedIdentity } from './identity-checks.js';

const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
const EMAIL_ADDRESS = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/** What a verified SAML assertion says about the person, as the ACS read it. */
export interface SamlAssertedPerson {
  nameId: string | null;
  nameIdFormat: string | null;
  attributes: Record<string, string[]>;
}

/**
 * SAML assertion → identity, through the connection's settings. The user's identity is
 * (connection, NameID), or (connection, the configured identity attribute). A transient
 * NameID changes at every login, so it identifies no one. The email is the mapped email
 * attribute, else the NameID when it is in emailAddress format. An attribute with several
 * values where one is expected is ambiguous and counts as absent. Whether the email is
 * verified is decided by the caller (samlEmailVerified).
 */
export function mapSamlAssertion(
  person: SamlAssertedPerson,
  settings: Pick<
    SamlSettings,
    'attributeMapping' | 'identityAttribute' | 'nameIdFormat' | 'roleMapping'
  >,
): Omit<MappedIdentity, 'emailVerified'> {
  const one = (name: string): string => {
    const values = person.attributes[name] ?? [];
    return values.length === 1 ? values[0]!.trim() : '';
  };
  const nameIdFormat = person.nameIdFormat ?? settings.nameIdFormat;
  const subject = settings.identityAttribute
    ? one(settings.identityAttribute)
    : nameIdFormat === TRANSIENT
      ? ''
      : (person.nameId ?? '');
  const email =
    one(settings.attributeMapping.email) ||
    (nameIdFormat === EMAIL_ADDRESS ? (person.nameId ?? '').trim() : '');
  const groups = person.attributes[settings.attributeMapping.groups] ?? [];
  const roles = [
    ...new Set(groups.map((g) => settings.roleMapping[g]).filter((r): r is string => !!r)),
  ];
  return {
    subject,
    email,
    name: one(settings.attributeMapping.name) || null,
    roles: Object.keys(settings.roleMapping).length ? roles : undefined,
  };
}

/**
 * SAML has no email_verified. Latchkey treats an asserted email as verified only when its
 * domain is one of the verified domains of the connection's own org: the org proved it
 * owns that domain, and its IdP is the authority for the addresses in it. An address
 * outside them (possible only with allow_any_email_domain) is unverified, so an org that
 * requires verified email refuses it (email_not_verified).
 */
export async function samlEmailVerified(
  email: string,
  connectionOrgId: string,
  orgOfEmailDomain: (domain: string) => Promise<string | null>,
): Promise<boolean> {
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  return (await orgOfEmailDomain(email.slice(at + 1).toLowerCase())) === connectionOrgId;
}
