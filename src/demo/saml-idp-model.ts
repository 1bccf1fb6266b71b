/**
 * What the development SAML IdP (saml-idp.ts) is given and gives back: its accounts, the
 * service providers it answers and how it is started. Shared by its modules; re-exported
 * by saml-idp.ts, which is what the rest of the code imports.
 */

export interface DemoSamlAccount {
  email: string;
  name: string;
  groups: string[];
}

/** A service provider this IdP answers (Latchkey's SP of one connection). */
export interface DemoSamlSp {
  entityId: string;
  /** Where Responses are POSTed; an AuthnRequest naming another ACS is refused. */
  acsUrl: string;
  /** Shown on the sign-in page ("to continue to …"). */
  name?: string;
  /** PEM. When set, AuthnRequests must carry a valid signature by this certificate. */
  signingCertificatePem: string | null;
  /**
   * Single Logout: the SP's SLO URL (HTTP-Redirect) and the certificate its LogoutRequests
   * must be signed with. Without it, the SP's LogoutRequests are refused.
   */
  singleLogout?: { url: string; signingCertificatePem: string };
  /**
   * What this SP's application is set up to send, as an IdP admin configures it: the
   * NameID (default the email address, emailAddress format; `persistent`: an opaque id)
   * and the attribute statements (default email, name and groups). Re-trusting the SP
   * changes it for the next sign-in, as a change in the IdP's console would.
   */
  release?: {
    nameIdFormat?: 'emailAddress' | 'persistent';
    attributes?: Array<'email' | 'name' | 'groups'>;
  };
}

/** A LogoutRequest the IdP accepted. */
export interface DemoSamlLogoutRequest {
  spEntityId: string;
  nameId: string;
  sessionIndex: string | null;
  at: Date;
}

export const SAML_NAME_ID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const SAML_NAME_ID_PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
