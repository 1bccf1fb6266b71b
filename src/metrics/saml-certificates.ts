import type { Registry } from 'prom-client';
import { declareMetrics } from './declare-metrics.js';

/**
 * IdP signing certificates nearing expiry. No connection label (cardinality stays
 * bounded): the gauge is the fewest seconds left on any SAML connection's certificate,
 * and the counter counts certificates reported as expiring (at most once per day each).
 */
export interface SamlCertificateMetrics {
  /** Seconds left on the soonest-expiring certificate; null when there are none. */
  setSoonestExpiry(secondsLeft: number | null): void;
  countExpiring(): void;
}

export function registerSamlCertificateMetrics(registry: Registry): SamlCertificateMetrics {
  const metric = declareMetrics(registry);
  const expiry = metric.gauge(
    'latchkey_saml_certificate_expiry_seconds',
    'Seconds until the soonest-expiring IdP signing certificate of any SAML connection expires.',
  );
  const expiring = metric.counter(
    'latchkey_saml_certificates_expiring_total',
    'IdP signing certificates found to expire within 30 days (each at most once a day).',
  );
  return {
    setSoonestExpiry(secondsLeft) {
      if (secondsLeft === null) expiry.reset();
      else expiry.set(secondsLeft);
    },
    countExpiring() {
      expiring.inc();
    },
  };
}
