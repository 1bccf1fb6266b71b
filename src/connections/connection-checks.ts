import { X509Certificate } from 'node:crypto';
import { AppError } from '../platform/errors.js';
import type { ConnectionForLogin, OidcConnection, SamlSettings } from './connection.js';
import { checkCertificate } from './saml-metadata.js';

/**
 * Live checks of a connection before it goes live (issue 18): an OIDC connection's
 * discovery, keys and client credentials are tried against the IdP itself; a SAML
 * connection's certificates must be valid now. Activation through the admin API runs them
 * and refuses with the reasons; `POST …/connections/{id}/check` runs them on demand.
 */
export interface ConnectionCheck {
  /** What was checked: `discovery`, `jwks`, `client_authentication`, `certificates`. */
  check: string;
  ok: boolean;
  /** When not ok: a stable reason code (the login's own where there is one). */
  reason?: string;
  /** What was found, for the admin; never a secret. */
  message: string;
}

/** The OIDC checks, against the IdP (federation/oidc/, the only user of openid-client). */
export type OidcConnectionCheck = (
  connection: OidcConnection & { clientSecret: string | null },
) => Promise<ConnectionCheck[]>;

/** A connection's live checks: what the wiring gives the connection service. */
export type ConnectionChecker = (connection: ConnectionForLogin) => Promise<ConnectionCheck[]>;

/** A SAML connection's signing certificates: at least one must be valid at `now`. */
export function samlCertificateChecks(settings: SamlSettings, now: Date): ConnectionCheck[] {
  const nowMs = now.getTime();
  const found: string[] = [];
  let valid = 0;
  for (const pem of settings.idpCertificates) {
    // Readable and not expired, as on create (saml-metadata.ts); and already in force.
    const checked = checkCertificate(pem, now);
    if (!checked.ok) {
      found.push(`one ${checked.message}`);
      continue;
    }
    const from = Date.parse(new X509Certificate(checked.pem).validFrom);
    if (nowMs < from) found.push(`one is not valid before ${new Date(from).toISOString()}`);
    else valid++;
  }
  if (valid > 0) {
    return [
      { check: 'certificates', ok: true, message: `${valid} signing certificate(s) valid now.` },
    ];
  }
  return [
    {
      check: 'certificates',
      ok: false,
      reason: 'certificate_invalid',
      message: `No IdP signing certificate is valid now${found.length ? `: ${found.join('; ')}` : ''}.`,
    },
  ];
}

/** The checks of either kind of connection. */
export function connectionChecker(deps: {
  oidc: OidcConnectionCheck;
  now: () => Date;
}): ConnectionChecker {
  return async (connection) =>
    connection.type === 'oidc'
      ? deps.oidc(connection)
      : samlCertificateChecks(connection.settings, deps.now());
}

/** Activation refused: every failed check, as a field issue with its reason code. */
export function assertChecksPassed(checks: ConnectionCheck[]): void {
  const failed = checks.filter((c) => !c.ok);
  if (!failed.length) return;
  throw new AppError(
    'connection_check_failed',
    'The connection did not pass its live checks; fix it at the IdP or here, then activate again.',
    {
      status: 422,
      fields: failed.map((c) => ({ field: c.check, message: `${c.reason}: ${c.message}` })),
    },
  );
}
