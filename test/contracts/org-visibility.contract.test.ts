import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  assertOrgExists,
  assertOrgVisible,
  type AdminPrincipal,
} from '../../src/platform/admin/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { insertOrg } from '../support/sql-fixtures.js';

/** What a caller outside the org is told: the same 404 as for an org that does not exist. */
const isNotFound = (error: unknown) =>
  (error as { code?: string; status?: number }).code === 'not_found' &&
  (error as { status?: number }).status === 404;

forEachSqlBackend('assertOrgVisible contract', (open) => {
  let db: Database;
  let orgA: string;
  let orgB: string;
  const platform: AdminPrincipal = { scope: 'platform:admin', keyId: 'k-platform' };
  const keyOf = (orgId: string): AdminPrincipal => ({
    scope: 'org:admin',
    keyId: 'k-org',
    orgId,
  });

  before(async () => {
    db = open();
    orgA = (await insertOrg(db)).id;
    orgB = (await insertOrg(db)).id;
  });

  it('when a platform key asks about an existing org, then it is visible', async () => {
    await assertOrgVisible(db, platform, orgA);
    await assertOrgVisible(db, platform, orgB);
  });

  it('when an org key asks about its own org, then it is visible', async () => {
    await assertOrgVisible(db, keyOf(orgA), orgA);
  });

  it('when an org key asks about another org that exists, then the answer is not_found', async () => {
    await assert.rejects(assertOrgVisible(db, keyOf(orgA), orgB), isNotFound);
  });

  it('when any key asks about an unknown org id, then the answer is not_found', async () => {
    const unknown = uuidv7();
    await assert.rejects(assertOrgVisible(db, platform, unknown), isNotFound);
    await assert.rejects(assertOrgVisible(db, keyOf(unknown), unknown), isNotFound);
  });

  it('when only existence is asked (no principal, as the CLI), then an org passes and an unknown id is not_found', async () => {
    await assertOrgExists(db, orgA);
    await assert.rejects(assertOrgExists(db, uuidv7()), isNotFound);
  });

  it('when asked inside a transaction, then it sees the org that transaction created', async () => {
    await db.transaction(async (tx) => {
      const created = await insertOrg(tx);
      await assertOrgVisible(tx, platform, created.id);
    });
  });
});
