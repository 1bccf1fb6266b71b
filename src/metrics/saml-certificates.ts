import { Counter, Gauge, type Registry } from 'prom-client';

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
  const expiry = new Gauge({
    name: 'latchkey_saml_certificate_expiry_seconds',
    help: 'Seconds until the soonest-expiring IdP signing certificate of any SAML connection expires.',
    registers: [registry],
  });
  const expiring = new Counter({
    name: 'latchkey_saml_certificates_expiring_total',
    help: 'IdP signing certificates found to expire within 30 days (each at most once a day).',
    registers: [registry],
  });
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
