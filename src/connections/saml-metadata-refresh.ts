import { X509Certificate } from 'node:crypto';
import type { AuditActor, AuditLog } from '../audit/index.js';
import type { SamlCertificateMetrics } from '../metrics/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import type { HostLookup, OutboundPolicy } from '../platform/net/index.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import type { SamlConnection } from './connection.js';
import { connectionStore } from './connection-store.js';
import { createIdpSourceResolver, type IdpSettings } from './saml-idp-source.js';
import { backgroundJob } from '../platform/background-job.js';

/**
 * The scheduled upkeep of SAML connections: metadata fetched from a URL is fetched again
 * and the stored IdP settings follow it when they changed (a failed fetch or parse leaves
 * the connection as it was); every signing certificate that expires within 30 days is
 * audited (at most once a day per certificate) and the soonest expiry is a gauge.
 */
export const CERTIFICATE_EXPIRY_WARNING_MS = 30 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const SYSTEM: AuditActor = { type: 'system', id: null };
const IDP_FIELDS = ['idpEntityId', 'idpSsoUrl', 'idpSloUrl', 'idpCertificates'] as const;

export interface SamlMetadataRefresh {
  /** One pass over every SAML connection, now. */
  runOnce(): Promise<void>;
  /** Runs a pass every intervalMs (unref'd) until stop. */
  start(intervalMs: number): void;
  /** Stops the schedule; resolves once a pass under way has finished. */
  stop(): Promise<void>;
}

const changedFields = (current: SamlConnection, next: Partial<IdpSettings>) =>
  IDP_FIELDS.filter(
    (field) =>
      next[field] !== undefined &&
      JSON.stringify(next[field]) !== JSON.stringify(current.settings[field]),
  );

interface ExpiryContext {
  audit: AuditLog;
  clock: Clock;
  ephemeral: EphemeralStore;
  metrics: SamlCertificateMetrics;
}

/** Audits certificates near expiry; returns the fewest seconds left on any. */
async function checkExpiry(
  { audit, clock, ephemeral, metrics }: ExpiryContext,
  connection: SamlConnection,
): Promise<number | null> {
  const nowMs = clock.nowMs();
  let soonest: number | null = null;
  for (const pem of connection.settings.idpCertificates) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      continue;
    }
    const notAfterMs = Date.parse(certificate.validTo);
    const leftMs = notAfterMs - nowMs;
    soonest = Math.min(soonest ?? Infinity, Math.floor(leftMs / 1000));
    if (leftMs > CERTIFICATE_EXPIRY_WARNING_MS) continue;
    const fingerprint = certificate.fingerprint256.replaceAll(':', '').toLowerCase();
    const key = `saml-cert-expiring:${connection.id}:${fingerprint}:${Math.floor(nowMs / DAY_MS)}`;
    if (!(await ephemeral.claim(key, DAY_MS))) continue;
    metrics.countExpiring();
    await audit.append({
      type: 'saml.certificate.expiring',
      orgId: connection.orgId,
      actor: SYSTEM,
      target: { type: 'connection', id: connection.id },
      data: {
        fingerprint_sha256: fingerprint,
        subject: certificate.subject,
        not_after: new Date(notAfterMs).toISOString(),
        seconds_left: Math.floor(leftMs / 1000),
      },
    });
  }
  return soonest;
}

export function createSamlMetadataRefresh(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  ephemeral: EphemeralStore;
  metrics: SamlCertificateMetrics;
  outbound: OutboundPolicy;
  lookup?: HostLookup;
  onError?: (error: unknown) => void;
}): SamlMetadataRefresh {
  const { db, audit, clock, metrics } = deps;
  const resolver = createIdpSourceResolver({
    outbound: deps.outbound,
    now: () => clock.now(),
    lookup: deps.lookup,
  });

  /** The connection as it is after the refresh (unchanged when nothing changed or it failed). */
  const refresh = async (connection: SamlConnection, url: string): Promise<SamlConnection> => {
    const target = { type: 'connection', id: connection.id };
    let next: Partial<IdpSettings> | null;
    try {
      next = await resolver.resolve({ idp_metadata_url: url });
    } catch (error) {
      await audit.append({
        type: 'admin.connection.metadata_refresh_failed',
        orgId: connection.orgId,
        actor: SYSTEM,
        target,
        outcome: 'failure',
        reason: error instanceof AppError ? error.code : 'metadata_fetch_failed',
        data: {
          metadata_url: url,
          message: error instanceof AppError ? error.message : 'the refresh failed',
        },
      });
      return connection;
    }
    if (!next) return connection;
    const changed = changedFields(connection, next);
    if (!changed.length) return connection;
    const settings = { ...connection.settings, ...next };
    return db.transaction(async (tx) => {
      const result = await connectionStore(tx).update(
        connection.orgId,
        connection.id,
        { settings },
        clock.now(),
        connection.version,
      );
      // Edited or deleted meanwhile: the admin's change wins; the next pass looks again.
      if (!result.ok || result.value.connection.type !== 'saml') return connection;
      await audit.record(tx, {
        type: 'admin.connection.metadata_refreshed',
        orgId: connection.orgId,
        actor: SYSTEM,
        target,
        data: {
          metadata_url: url,
          before: Object.fromEntries(changed.map((f) => [f, connection.settings[f]])),
          after: Object.fromEntries(changed.map((f) => [f, settings[f]])),
        },
      });
      return result.value.connection;
    });
  };

  const runOnce = async () => {
    let soonest: number | null = null;
    for (const listed of await connectionStore(db).listAllSaml()) {
      if (listed.type !== 'saml') continue;
      let connection = listed;
      try {
        const url = connection.settings.idpMetadataUrl;
        if (url !== null) connection = await refresh(connection, url);
        const left = await checkExpiry(deps, connection);
        if (left !== null) soonest = Math.min(soonest ?? Infinity, left);
      } catch (error) {
        // One connection's trouble (a store error) does not stop the others.
        deps.onError?.(error);
      }
    }
    metrics.setSoonestExpiry(soonest);
  };

  const job = backgroundJob(runOnce, deps.onError);
  return { runOnce, start: job.start, stop: job.stop };
}
