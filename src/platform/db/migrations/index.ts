import signingKeys from './0001-signing-keys.js';
import directory from './0002-directory.js';
import auditQuery from './0005-audit-query.js';

export interface Migration {
  /** Sortable, unique, never renamed: "0001-signing-keys". */
  version: string;
  sql: string;
}

/** Forward-only: append new migrations; never edit or reorder one that has shipped. */
export const migrations: Migration[] = [
  { version: '0001-signing-keys', sql: signingKeys },
  { version: '0002-directory', sql: directory },
  { version: '0005-audit-query', sql: auditQuery },
];
