import {
  oidcRedirectUri,
  spEndpoints,
  type Connection,
  type ConnectionService,
} from '../../connections/index.js';
import { passedAtCurrentVersion, type ConnectionTestService } from '../../federation/index.js';
import type { AdminPrincipal } from '../../platform/admin/index.js';
import type { FixContext } from '../views/test-fixes.js';

/** The values a failed test's fix may name, from the connection. */
const fixContextOf = (connection: Connection, issuer: string): FixContext =>
  connection.type === 'saml'
    ? {
        protocol: 'saml',
        emailAttribute: connection.settings.attributeMapping.email,
        acsUrl: spEndpoints(issuer, connection.id).acs_url,
        spEntityId: spEndpoints(issuer, connection.id).entity_id,
        redirectUri: null,
      }
    : {
        protocol: 'oidc',
        emailAttribute: null,
        acsUrl: null,
        spEntityId: null,
        redirectUri: oidcRedirectUri(issuer, connection.id),
      };

/**
 * What a test's report page shows (portal and console alike), read as the principal:
 * the test, its connection, the fix's values, and whether Activate is offered (a draft
 * whose newest test is this one, passed at the connection's current version).
 */
export async function testReport(
  deps: {
    connections: Pick<ConnectionService, 'get' | 'issuer'>;
    connectionTests: Pick<ConnectionTestService, 'get' | 'latest'>;
  },
  orgId: string,
  testId: string,
  principal: AdminPrincipal,
) {
  const test = await deps.connectionTests.get(orgId, testId, principal);
  const connection = await deps.connections.get(orgId, test.connectionId, principal);
  const latest = await deps.connectionTests.latest(orgId, connection.id);
  return {
    test,
    connection,
    fix: fixContextOf(connection, deps.connections.issuer),
    canActivate:
      connection.status === 'draft' &&
      latest?.id === test.id &&
      passedAtCurrentVersion(connection, test),
  };
}
