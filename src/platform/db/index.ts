export {
  selectOne,
  type Database,
  type Queryable,
  type QueryOptions,
  type QueryResult,
} from './database.js';
export { createPostgresDatabase, type PostgresOptions } from './postgres.js';
export { createPgliteDatabase, pgliteDatabase } from './pglite.js';
export { migrate, MigrationError } from './migrate.js';
export type { Migration } from './migrations/index.js';
export {
  dbErrorKind,
  isDatabaseUnavailable,
  isForeignKeyViolation,
  isUniqueViolation,
  type DbErrorKind,
} from './db-errors.js';
export {
  orgReads,
  orgRows,
  type ChangeColumns,
  type OrgReads,
  type OrgRows,
  type WriteResult,
} from './org-rows.js';
