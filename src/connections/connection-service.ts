import { changeSet, type AuditLog, type RequestContext } from '../audit/index.js';
import {
  assertOrgVisible,
  orgResourceReads,
  refusalOf,
  staleWrite,
  written,
  type AdminPrincipal,
  type OrgResourceService,
} from '../platform/admin/index.js';
import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/crypto/index.js';
import { isForeignKeyViolation, isUniqueViolation, type Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { uuidv7 } from '../platform/ids.js';
import type { HostLookup, OutboundPolicy } from '../platform/net/index.js';
import { UUID_PATTERN } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  STATUS_TRANSITIONS,
  type Connection,
  type ConnectionForLogin,
  type ConnectionStatus,
  type OidcConnection,
  type SamlConnection,
} from './connection.js';
import {
  assertChecksPassed,
  type ConnectionCheck,
  type ConnectionChecker,
} from './connection-checks.js';
import {
  auditView,
  connectionEvent,
  recordUpdate,
  SECRET_FIELDS,
  updateDiff,
} from './connection-audit.js';
import {
  connectionInputs,
  reservedIdInvalid,
  reservedIdTaken,
  type ConnectionInputs,
  type CreateOptions,
} from './connection-input.js';
import { createSettingsBuilder } from './connection-settings.js';
import {
  connectionStore,
  type ConnectionChanges,
  type StoredConnection,
} from './connection-store.js';
import { createIdpSourceResolver } from './saml-idp-source.js';

export type { CreateOptions, OutboundPolicy };

export interface ConnectionService extends OrgResourceService<Connection> {
  /** Latchkey's issuer: the base of the SP endpoints and the OIDC redirect URI. */
  readonly issuer: string;
  create(
    orgId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
    options?: CreateOptions,
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
  /** The connection's live checks against its IdP, now (connection-checks.ts); changes nothing. */
  check(orgId: string, connectionId: string, principal: AdminPrincipal): Promise<ConnectionCheck[]>;
}

const connectionInUse = () =>
  new AppError(
    'connection_in_use',
    'Users have signed in through this connection, so it cannot be deleted; disable it instead (PATCH status "disabled").',
    { status: 409 },
  );

/** The stored connection (or what an update makes of it) with its client secret opened. */
const openedForLogin = (
  secretBox: SecretBox,
  connection: Connection,
  secretCiphertext: string | null,
): ConnectionForLogin =>
  connection.type === 'saml'
    ? { ...connection, clientSecret: null }
    : {
        ...connection,
        clientSecret:
          secretCiphertext === null ? null : secretBox.open(secretCiphertext, connection.id),
      };

/** What the service's calls share. */
interface ConnectionContext {
  secretBox: SecretBox;
  inputs: ConnectionInputs;
  build: ReturnType<typeof createSettingsBuilder>;
}

const assertTransition = (from: ConnectionStatus, to: ConnectionStatus) => {
  if (from === to || STATUS_TRANSITIONS[from].includes(to)) return;
  throw new AppError('connection_state_invalid', `A ${from} connection cannot become ${to}.`, {
    status: 409,
    fields: [{ field: 'status', message: `cannot change from ${from} to ${to}` }],
  });
};

/** A new draft connection from a create body (its client secret sealed to its id). */
async function newConnection(
  { secretBox, inputs, build }: ConnectionContext,
  orgId: string,
  body: unknown,
  now: Date,
  reservedId: string | undefined,
): Promise<{ connection: Connection; secretCiphertext: string | null }> {
  const { type } = parseInput(inputs.ConnectionType, body);
  const id = reservedId ?? uuidv7(now.getTime());
  const base = {
    id,
    orgId,
    status: 'draft' as const,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  if (type === 'oidc') {
    const input = parseInput(inputs.CreateOidc, body);
    // The connection id is the additional data: the ciphertext opens only in this row.
    const secretCiphertext = secretBox.seal(input.client_secret, id);
    const connection: Connection = {
      ...base,
      type: 'oidc',
      name: input.name,
      clientSecretSet: true,
      settings: build.oidcOnCreate(input),
    };
    return { connection, secretCiphertext };
  }
  const input = parseInput(inputs.CreateSaml, body);
  const connection: Connection = {
    ...base,
    type: 'saml',
    name: input.name,
    clientSecretSet: false,
    settings: await build.samlOnCreate(input),
  };
  return { connection, secretCiphertext: null };
}

/** A create's new connection, with its reserved id, and its live checks passed when asked. */
async function plannedCreate(
  ctx: ConnectionContext,
  checks: ConnectionChecker,
  request: { orgId: string; body: unknown; now: Date },
  options: CreateOptions,
) {
  if (options.id !== undefined && !UUID_PATTERN.test(options.id)) throw reservedIdInvalid();
  const planned = await newConnection(ctx, request.orgId, request.body, request.now, options.id);
  if (options.checkFirst) {
    assertChecksPassed(
      await checks(openedForLogin(ctx.secretBox, planned.connection, planned.secretCiphertext)),
    );
  }
  return planned;
}

/** The connection with a new name and status (when given) and its new settings. */
const withChanges = <C extends Connection>(
  current: C,
  input: { name?: string; status?: ConnectionStatus },
  settings: C['settings'],
): C => ({
  ...current,
  name: input.name ?? current.name,
  status: input.status ?? current.status,
  settings,
});

/** What an update body changes, and the connection it makes. */
async function plannedUpdate(
  { secretBox, inputs, build }: ConnectionContext,
  current: Connection,
  body: unknown,
): Promise<{ changes: ConnectionChanges; next: Connection }> {
  if (current.type === 'oidc') {
    const input = parseInput(inputs.UpdateOidc, body);
    if (input.status) assertTransition(current.status, input.status);
    const settings = build.oidcUpdated(current.settings, input);
    const changes: ConnectionChanges = {
      name: input.name,
      status: input.status,
      settings,
      secretCiphertext:
        input.client_secret === undefined
          ? undefined
          : secretBox.seal(input.client_secret, current.id),
    };
    return { changes, next: withChanges<OidcConnection>(current, input, settings) };
  }
  const input = parseInput(inputs.UpdateSaml, body);
  if (input.status) assertTransition(current.status, input.status);
  const settings = await build.samlUpdated(current.settings, input);
  const changes: ConnectionChanges = { name: input.name, status: input.status, settings };
  return { changes, next: withChanges<SamlConnection>(current, input, settings) };
}

/** A body may not change the type of a connection. */
const assertTypeUnchanged = (body: unknown) => {
  if (body !== null && typeof body === 'object' && 'type' in body) {
    throw new AppError('validation_failed', 'The request body is invalid.', {
      fields: [{ field: 'type', message: 'cannot be changed; create a new connection' }],
    });
  }
};

/** Deletes the connection (the expected version, if given) with its event; 409 while in use. */
async function deleteConnection(
  db: Database,
  audit: AuditLog,
  before: StoredConnection,
  expected: number | null,
  event: ReturnType<typeof connectionEvent>,
) {
  const { orgId, id: connectionId } = before.connection;
  try {
    await db.transaction(async (tx) => {
      const store = connectionStore(tx);
      if (await store.inUse(connectionId)) throw connectionInUse();
      if (!(await store.delete(orgId, connectionId, expected))) {
        throw await refusalOf('connection', () => store.get(orgId, connectionId));
      }
      await audit.record(tx, {
        ...event,
        data: changeSet(auditView(before.connection, before.secretCiphertext), null, SECRET_FIELDS),
      });
    });
  } catch (error) {
    // An identity created between the check and the delete: the foreign key refuses it.
    if (isForeignKeyViolation(error)) throw connectionInUse();
    throw error;
  }
}

interface ConnectionServiceDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  secretBox: SecretBox;
  /** Latchkey's issuer URL: the base of SP entity ids, ACS and metadata URLs. */
  issuer: string;
  outbound: OutboundPolicy;
  /** DNS for metadata fetches; tests answer locally. */
  lookup?: HostLookup;
  /** The live checks an activation must pass (federation's OIDC checks, the SAML certificates). */
  checks: ConnectionChecker;
}

export function createConnectionService(deps: ConnectionServiceDeps): ConnectionService {
  const { db, audit, clock, secretBox } = deps;
  const ctx: ConnectionContext = {
    secretBox,
    inputs: connectionInputs(deps.outbound),
    build: createSettingsBuilder(
      createIdpSourceResolver({
        outbound: deps.outbound,
        now: () => clock.now(),
        lookup: deps.lookup,
      }),
    ),
  };
  const reads = orgResourceReads({
    db,
    what: 'connection',
    store: connectionStore,
    view: (stored: StoredConnection) => stored.connection,
  });
  const { load } = reads;
  return {
    issuer: deps.issuer,

    async create(orgId, body, principal, context, options = {}) {
      await assertOrgVisible(db, principal, orgId);
      const { connection, secretCiphertext } = await plannedCreate(
        ctx,
        deps.checks,
        { orgId, body, now: clock.now() },
        options,
      );
      await db.transaction(async (tx) => {
        // The org may have gone while the metadata was fetched.
        await assertOrgVisible(tx, principal, orgId);
        await connectionStore(tx)
          .insert(connection, secretCiphertext)
          .catch((error: unknown) => {
            // A reserved id used twice (the same form sent again): the first one made it.
            throw options.id !== undefined && isUniqueViolation(error) ? reservedIdTaken() : error;
          });
        await audit.record(tx, {
          ...connectionEvent('admin.connection.created', orgId, connection.id, principal, context),
          data: changeSet(null, auditView(connection, secretCiphertext), SECRET_FIELDS),
        });
      });
      return connection;
    },

    list: reads.list,
    get: reads.get,

    async update(orgId, connectionId, body, expected, principal, context) {
      const before = await load(orgId, connectionId, principal);
      const current = before.connection;
      assertTypeUnchanged(body);
      // Refused before anything is fetched or sealed; the UPDATE re-checks it atomically.
      if (expected !== null && expected !== current.version) throw staleWrite();
      const { changes, next } = await plannedUpdate(ctx, current, body);
      const diff = updateDiff(before, next, changes);
      // Nothing to change: no write, no event.
      if (!diff) return current;
      // Nothing goes live untested: an activation passes the live checks first.
      if (next.status === 'active' && current.status !== 'active') {
        const secret = changes.secretCiphertext ?? before.secretCiphertext;
        assertChecksPassed(await deps.checks(openedForLogin(secretBox, next, secret)));
      }

      return db.transaction(async (tx) => {
        const result = await connectionStore(tx).update(
          orgId,
          connectionId,
          changes,
          clock.now(),
          expected ?? current.version,
        );
        const after = written(result, 'connection');
        const event = connectionEvent(
          'admin.connection.updated',
          orgId,
          connectionId,
          principal,
          context,
        );
        await recordUpdate(audit, tx, event, diff, {
          before: current.status,
          after: after.connection.status,
        });
        return after.connection;
      });
    },

    async remove(orgId, connectionId, expected, principal, context) {
      const before = await load(orgId, connectionId, principal);
      if (expected !== null && expected !== before.connection.version) throw staleWrite();
      await deleteConnection(
        db,
        audit,
        before,
        expected,
        connectionEvent('admin.connection.deleted', orgId, connectionId, principal, context),
      );
    },

    async getConnectionForLogin(connectionId) {
      if (!UUID_PATTERN.test(connectionId)) return null;
      const stored = await connectionStore(db).getById(connectionId);
      return stored ? openedForLogin(secretBox, stored.connection, stored.secretCiphertext) : null;
    },

    async check(orgId, connectionId, principal) {
      const stored = await load(orgId, connectionId, principal);
      return deps.checks(openedForLogin(secretBox, stored.connection, stored.secretCiphertext));
    },

    async listActiveConnections(orgId) {
      return connectionStore(db).listByStatus(orgId, 'active');
    },
  };
}
