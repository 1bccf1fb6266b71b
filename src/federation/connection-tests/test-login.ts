import type { Queryable } from '../../platform/db/index.js';
import { orgStore } from '../../orgs/index.js';
import { assuranceVerdict, type ProvenLogin } from '../assurance.js';
import { identityCheckResults, type MappedIdentity } from '../identity-checks.js';
import type { LoginAttempt, LoginTest } from '../login-attempt.js';
import {
  receivedValues,
  type ConnectionTestRecorder,
  type ConnectionTestReport,
} from './connection-test.js';

/** What a test needs of a verified login (login-completion.ts VerifiedLogin). */
interface TestedLogin extends ProvenLogin {
  connection: ProvenLogin['connection'] & { orgId: string; allowAnyEmailDomain: boolean };
  identity: MappedIdentity;
  received?: { values: Record<string, unknown>; groups: string[]; nameIdFormat: string | null };
}

/**
 * The end of a test sign-in whose IdP answer passed the protocol's checks: every identity
 * check and the org's assurance policy run (none stopping the others), the report says what came back and what Latchkey
 * made of it, and the test passes only if a real sign-in would have. Nothing is
 * provisioned, no session opens; the browser goes to the report's page.
 */
export async function finishTestLogin(
  login: TestedLogin,
  test: LoginTest,
  attempt: LoginAttempt,
  deps: {
    db: Queryable;
    recorder: ConnectionTestRecorder;
    orgOfEmailDomain: (domain: string) => Promise<string | null>;
    requireVerifiedEmail: boolean;
  },
): Promise<{ sessionToken: null; session: null; returnTo: string }> {
  const { connection, identity } = login;
  const org = await orgStore(deps.db).get(connection.orgId);
  // The org's assurance policy, as a real sign-in is refused on it (after the identity).
  const assurance = assuranceVerdict(login, org?.settings ?? null);
  const checks = [
    {
      name: 'org_active',
      passed: org?.status === 'active',
      reason: org?.status === 'active' ? null : 'org_disabled',
    },
    ...(await identityCheckResults(identity, {
      connectionOrgId: connection.orgId,
      allowAnyEmailDomain: connection.allowAnyEmailDomain,
      requireVerifiedEmail: deps.requireVerifiedEmail,
      orgOfEmailDomain: deps.orgOfEmailDomain,
    })),
    {
      name: 'assurance_sufficient',
      passed: assurance.sufficient,
      reason: assurance.sufficient ? null : 'assurance_insufficient',
    },
  ];
  const report: ConnectionTestReport = {
    protocol: attempt.protocol,
    subject: identity.subject,
    nameIdFormat: login.received?.nameIdFormat ?? null,
    email: identity.email,
    emailVerified: identity.emailVerified,
    name: identity.name,
    groups: login.received?.groups ?? [],
    roles: identity.roles ?? null,
    received: receivedValues(login.received?.values ?? {}),
    assurance: { acr: assurance.acr, amr: assurance.amr, required: assurance.required },
    checks,
  };
  const failed = checks.find((c) => !c.passed);
  if (failed) await deps.recorder.failed(test.id, failed.reason!, report, attempt.context);
  else await deps.recorder.passed(test.id, report, attempt.context);
  return { sessionToken: null, session: null, returnTo: test.returnTo };
}
