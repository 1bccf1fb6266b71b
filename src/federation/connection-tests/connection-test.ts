import type { RequestContext } from '../../audit/index.js';

/**
 * A test sign-in (issue 18): a login through one connection, started by an admin, that
 * ends in a report of what the IdP sent and which checks passed instead of a session.
 * Nothing is provisioned and no session opens. A connection is activated through the
 * portal only after a test passed at its current version (connection-test-service.ts).
 */
export type ConnectionTestOutcome = 'pending' | 'passed' | 'failed';

/** One identity check of the login, as the test ran it (identity-checks.ts). */
export interface TestCheckResult {
  /** The check's name: subject_present, email_usable, email_domain_allowed, … */
  name: string;
  passed: boolean;
  /** The reason code a sign-in would have been refused with, when it failed. */
  reason: string | null;
}

/** What came back from the IdP, and what Latchkey made of it. */
export interface ConnectionTestReport {
  protocol: 'oidc' | 'saml';
  /** The upstream subject: OIDC `sub` (or the mapped claim), SAML NameID (or the identity attribute). */
  subject: string;
  /** SAML only: the NameID's format as sent. */
  nameIdFormat: string | null;
  email: string;
  emailVerified: boolean;
  name: string | null;
  /** The upstream groups as sent (the mapped groups claim or attribute). */
  groups: string[];
  /** The Latchkey roles the connection's role mapping gives them; null when it maps none. */
  roles: string[] | null;
  /** Every claim (OIDC) or attribute (SAML) sent, values as text, shortened if long. */
  received: Record<string, string[]>;
  /**
   * How strongly the person signed in (docs/assurance.md), against the org's policy (the
   * check assurance_sufficient): the level proven (`acr`, null when nothing the IdP said
   * is known), the RFC 8176 methods (`amr`) and the level required (null: none). Absent
   * from reports of tests run before it was reported.
   */
  assurance?: { acr: string | null; amr: string[]; required: string | null };
  checks: TestCheckResult[];
}

export interface ConnectionTest {
  id: string;
  orgId: string;
  connectionId: string;
  /** The connection's version when the test started: a later change makes it stale. */
  connectionVersion: number;
  startedBy: { type: string; id: string | null };
  startedAt: Date;
  finishedAt: Date | null;
  outcome: ConnectionTestOutcome;
  /** The reason code of a failed test (a login reason code, e.g. email_missing). */
  reason: string | null;
  report: ConnectionTestReport | null;
}

/** How a login in test mode ends: what the login flow writes (login-completion.ts, login-service.ts). */
export interface ConnectionTestRecorder {
  passed(testId: string, report: ConnectionTestReport, context: RequestContext): Promise<void>;
  failed(
    testId: string,
    reason: string,
    report: ConnectionTestReport | null,
    context: RequestContext,
  ): Promise<void>;
}

/** Claims and attributes in a report: at most this many, each with this many values and characters. */
const MAX_RECEIVED = 64;
const MAX_VALUES = 32;
const MAX_CHARS = 512;

/** What the IdP sent, as text for the report (bounded: an IdP's answer is not ours to store whole). */
export function receivedValues(values: Record<string, unknown>): Record<string, string[]> {
  const text = (v: unknown): string => {
    const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
    return s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS)}…` : s;
  };
  return Object.fromEntries(
    Object.entries(values)
      .slice(0, MAX_RECEIVED)
      .map(([name, value]) => [
        name,
        (Array.isArray(value) ? value : [value]).slice(0, MAX_VALUES).map(text),
      ]),
  );
}
