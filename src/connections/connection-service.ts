import { changeSet, type AuditLog, type RequestContext } from '../audit/index.js';
import {
  actorOf,
  assertOrgAccess,
  assertOrgVisible,
  notFound,
  staleWrite,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { uuidv7 } from '../platform/ids.js';
import type { HostLookup, OutboundPolicy } from '../platform/net/index.js';
import { toPage, UUID_PATTERN, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  STATUS_TRANSITIONS,
  type Connection,
  type ConnectionForLogin,
  type ConnectionStatus,
  type OidcConnection,
  type SamlConnection,
} from './connection.js';
import { connectionInputs } from './connection-input.js';
import { createSettingsBuilder } from './connection-settings.js';
import { connectionStore, type ConnectionChanges } from './connection-store.js';
import { settingsView } from './connection-view.js';
import { createIdpSourceResolver } from './saml-idp-source.js';

export type { OutboundPolicy };

export interface ConnectionService {
  /** Latchkey's issuer: the base of the SP endpoints and the OIDC redirect URI. */
  readonly issuer: string;
  create(
    orgId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Connection>;
  list(orgId: string, principal: AdminPrincipal, page: PageRequest): Promise<Page<Connection>>;
  get(orgId: string, connectionId: string, principal: AdminPrincipal): Promise<Connection>;
  update(
    orgId: string,
    connectionId: string,
    body: unknown,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Connection>;
  /** Hard delete; refused (409) while a user identity refers to the connection. */
  remove(
    orgId: string,
    connectionId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /**
   * For the login flows only (never over HTTP): the connection with its client secret
   * opened, whatever its status (a draft can be tried by an org admin); null if unknown.
   */
  getConnectionForLogin(connectionId: string): Promise<ConnectionForLogin | null>;
  /** The org's active connections, oldest first, without secrets. */
  listActiveConnections(orgId: string): Promise<Connection[]>;
}

const connectionInUse = () =>
  new AppError(
    'connection_in_use',
    'Users have signed in through this connection, so it cannot be deleted; disable it instead (PATCH status "disabled").',
    { status: 409 },
  );

const isForeignKeyViolation = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === '23503';

/** The audit view of a connection: flat, with the sealed secret under a masked key. */
const auditView = (connection: Connection, secretCiphertext: string | null) => ({
  type: connection.type,
  name: connection.name,
  status: connection.status,
  ...settingsView(connection),
  ...(connection.type === 'oidc' ? { client_secret: secretCiphertext } : {}),
});
const SECRET_FIELDS = ['client_secret'];

export function createConnectionService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  secretBox: SecretBox;
  /** Latchkey's issuer URL: the base of SP entity ids, ACS and metadata URLs. */
  issuer: string;
  outbound: OutboundPolicy;
  /** DNS for metadata fetches; tests answer locally. */
  lookup?: HostLookup;
}): ConnectionService {
  const { db, audit, clock, secretBox } = deps;
  const inputs = connectionInputs(deps.outbound);
  const build = createSettingsBuilder(
    createIdpSourceResolver({
      outbound: deps.outbound,
      now: () => clock.now(),
      lookup: deps.lookup,
    }),
  );

  const load = async (orgId: string, connectionId: string, principal: AdminPrincipal) => {
    assertOrgAccess(principal, orgId, 'connection');
    const stored = await connectionStore(db).get(orgId, connectionId);
    if (!stored) throw notFound('connection');
    return stored;
  };

  const assertTransition = (from: ConnectionStatus, to: ConnectionStatus) => {
    if (from === to || STATUS_TRANSITIONS[from].includes(to)) return;
    throw new AppError('connection_state_invalid', `A ${from} connection cannot become ${to}.`, {
      status: 409,
      fields: [{ field: 'status', message: `cannot change from ${from} to ${to}` }],
    });
  };

  return {
    issuer: deps.issuer,

    async create(orgId, body, principal, context) {
      await assertOrgVisible(db, principal, orgId);
      const { type } = parseInput(inputs.ConnectionType, body);
      const now = clock.now();
      const id = uuidv7(now.getTime());
      const base = {
        id,
        orgId,
        status: 'draft' as const,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      let connection: Connection;
      let secretCiphertext: string | null = null;
      if (type === 'oidc') {
        const input = parseInput(inputs.CreateOidc, body);
        // The connection id is the additional data: the ciphertext opens only in this row.
        secretCiphertext = secretBox.seal(input.client_secret, id);
        connection = {
          ...base,
          type: 'oidc',
          name: input.name,
          clientSecretSet: true,
          settings: build.oidcOnCreate(input),
        };
      } else {
        const input = parseInput(inputs.CreateSaml, body);
        connection = {
          ...base,
          type: 'saml',
          name: input.name,
          clientSecretSet: false,
          settings: await build.samlOnCreate(input),
        };
      }
      await db.transaction(async (tx) => {
        // The org may have gone while the metadata was fetched.
        await assertOrgVisible(tx, principal, orgId);
        await connectionStore(tx).insert(connection, secretCiphertext);
        await audit.record(tx, {
          type: 'admin.connection.created',
          orgId,
          actor: actorOf(principal),
          target: { type: 'connection', id },
          context,
          data: changeSet(null, auditView(connection, secretCiphertext), SECRET_FIELDS),
        });
      });
      return connection;
    },

    async list(orgId, principal, page) {
      await assertOrgVisible(db, principal, orgId);
      return toPage(await connectionStore(db).list(orgId, page), page, (c) => c.id);
    },

    async get(orgId, connectionId, principal) {
      return (await load(orgId, connectionId, principal)).connection;
    },

    async update(orgId, connectionId, body, expected, principal, context) {
      const before = await load(orgId, connectionId, principal);
      const current = before.connection;
      if (body !== null && typeof body === 'object' && 'type' in body) {
        throw new AppError('validation_failed', 'The request body is invalid.', {
          fields: [{ field: 'type', message: 'cannot be changed; create a new connection' }],
        });
      }
      // Refused before anything is fetched or sealed; the UPDATE re-checks it atomically.
      if (expected !== null && expected !== current.version) throw staleWrite();
      let changes: ConnectionChanges;
      let next: Connection;
      if (current.type === 'oidc') {
        const input = parseInput(inputs.UpdateOidc, body);
        if (input.status) assertTransition(current.status, input.status);
        const settings = build.oidcUpdated(current.settings, input);
        changes = {
          name: input.name,
          status: input.status,
          settings,
          secretCiphertext:
            input.client_secret === undefined
              ? undefined
              : secretBox.seal(input.client_secret, current.id),
        };
        next = {
          ...current,
          name: input.name ?? current.name,
          status: input.status ?? current.status,
          settings,
        } satisfies OidcConnection;
      } else {
        const input = parseInput(inputs.UpdateSaml, body);
        if (input.status) assertTransition(current.status, input.status);
        const settings = await build.samlUpdated(current.settings, input);
        changes = { name: input.name, status: input.status, settings };
        next = {
          ...current,
          name: input.name ?? current.name,
          status: input.status ?? current.status,
          settings,
        } satisfies SamlConnection;
      }

      const beforeView = auditView(current, before.secretCiphertext);
      const afterView = auditView(next, changes.secretCiphertext ?? before.secretCiphertext);
      const diff = changeSet(beforeView, afterView, SECRET_FIELDS);
      const { status: statusChange, ...otherChanges } = diff.after ?? {};
      if (statusChange === undefined && Object.keys(otherChanges).length === 0) {
        // Nothing to change: no write, no event.
        return current;
      }

      return db.transaction(async (tx) => {
        const result = await connectionStore(tx).update(
          orgId,
          connectionId,
          changes,
          clock.now(),
          expected ?? current.version,
        );
        if (!result.ok) throw result.reason === 'stale' ? staleWrite() : notFound('connection');
        const after = result.value;
        const event = {
          orgId,
          actor: actorOf(principal),
          target: { type: 'connection', id: connectionId },
          context,
        };
        const { status: _before, ...settingsBefore } = diff.before ?? {};
        if (Object.keys(otherChanges).length) {
          await audit.record(tx, {
            ...event,
            type: 'admin.connection.updated',
            data: { before: settingsBefore, after: otherChanges },
          });
        }
        if (statusChange !== undefined) {
          await audit.record(tx, {
            ...event,
            type:
              after.connection.status === 'active'
                ? 'admin.connection.activated'
                : 'admin.connection.disabled',
            data: {
              before: { status: current.status },
              after: { status: after.connection.status },
            },
          });
        }
        return after.connection;
      });
    },

    async remove(orgId, connectionId, expected, principal, context) {
      const before = await load(orgId, connectionId, principal);
      if (expected !== null && expected !== before.connection.version) throw staleWrite();
      try {
        await db.transaction(async (tx) => {
          const store = connectionStore(tx);
          if (await store.inUse(connectionId)) throw connectionInUse();
          if (!(await store.delete(orgId, connectionId, expected))) {
            throw (await store.get(orgId, connectionId)) ? staleWrite() : notFound('connection');
          }
          await audit.record(tx, {
            type: 'admin.connection.deleted',
            orgId,
            actor: actorOf(principal),
            target: { type: 'connection', id: connectionId },
            context,
            data: changeSet(
              auditView(before.connection, before.secretCiphertext),
              null,
              SECRET_FIELDS,
            ),
          });
        });
      } catch (error) {
        // An identity created between the check and the delete: the foreign key refuses it.
        if (isForeignKeyViolation(error)) throw connectionInUse();
        throw error;
      }
    },

    async getConnectionForLogin(connectionId) {
      if (!UUID_PATTERN.test(connectionId)) return null;
      const stored = await connectionStore(db).getById(connectionId);
      if (!stored) return null;
      const { connection, secretCiphertext } = stored;
      if (connection.type === 'saml') return { ...connection, clientSecret: null };
      return {
        ...connection,
        clientSecret:
          secretCiphertext === null ? null : secretBox.open(secretCiphertext, connection.id),
      };
    },

    async listActiveConnections(orgId) {
      return connectionStore(db).listByStatus(orgId, 'active');
    },
  };
}
