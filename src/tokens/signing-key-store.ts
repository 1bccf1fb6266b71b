import type { Database } from '../platform/db/index.js';

export type SigningKeyState = 'next' | 'active' | 'retired';

/** One signing key's lifecycle. The private half lives in a file, never here. */
export interface SigningKeyRecord {
  kid: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  state: SigningKeyState;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
}

/**
 * Where key lifecycle state is kept, shared by every Latchkey process and the CLI.
 * Transitions are conditional and atomic; the rules about which are allowed live in the
 * key manager. Contract: test/contracts/signing-key-store.contract.ts.
 */
export interface SigningKeyStore {
  list(): Promise<SigningKeyRecord[]>;
  get(kid: string): Promise<SigningKeyRecord | null>;
  /** Inserts a key in state `next`. */
  insertNext(
    record: Pick<SigningKeyRecord, 'kid' | 'alg' | 'publicJwk' | 'createdAt'>,
  ): Promise<void>;
  /**
   * Makes the `next` key kid the one active key and retires the previous active one, in
   * one step. Returns false (changing nothing) when kid is not a `next` key.
   */
  activate(kid: string, at: Date): Promise<{ activated: boolean; previousKid: string | null }>;
  /** Retires a `next` key; false (changing nothing) when kid is not a `next` key. */
  retireNext(kid: string, at: Date): Promise<boolean>;
  /** Deletes a `retired` key; false when kid is not a retired key. */
  removeRetired(kid: string): Promise<boolean>;
}

interface Row {
  kid: string;
  alg: string;
  public_jwk: Record<string, unknown>;
  state: SigningKeyState;
  created_at: Date;
  activated_at: Date | null;
  retired_at: Date | null;
}

const toRecord = (row: Row): SigningKeyRecord => ({
  kid: row.kid,
  alg: row.alg,
  publicJwk: row.public_jwk,
  state: row.state,
  createdAt: row.created_at,
  activatedAt: row.activated_at,
  retiredAt: row.retired_at,
});

/** SigningKeyStore on PostgreSQL or PGlite (same SQL). */
export function createSqlSigningKeyStore(db: Database): SigningKeyStore {
  return {
    async list() {
      const { rows } = await db.query<Row>('SELECT * FROM signing_keys ORDER BY created_at, kid');
      return rows.map(toRecord);
    },
    async get(kid) {
      const { rows } = await db.query<Row>('SELECT * FROM signing_keys WHERE kid = $1', [kid]);
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async insertNext(record) {
      await db.query(
        `INSERT INTO signing_keys (kid, alg, public_jwk, state, created_at) VALUES ($1, $2, $3, 'next', $4)`,
        [record.kid, record.alg, JSON.stringify(record.publicJwk), record.createdAt],
      );
    },
    activate(kid, at) {
      return db.transaction(async (tx) => {
        // Lock the rows involved so two concurrent promotions serialise.
        const target = await tx.query<{ state: string }>(
          'SELECT state FROM signing_keys WHERE kid = $1 FOR UPDATE',
          [kid],
        );
        if (target.rows[0]?.state !== 'next') return { activated: false, previousKid: null };
        const previous = await tx.query<{ kid: string }>(
          `UPDATE signing_keys SET state = 'retired', retired_at = $1 WHERE state = 'active' RETURNING kid`,
          [at],
        );
        await tx.query(
          `UPDATE signing_keys SET state = 'active', activated_at = $2 WHERE kid = $1 AND state = 'next'`,
          [kid, at],
        );
        return { activated: true, previousKid: previous.rows[0]?.kid ?? null };
      });
    },
    async retireNext(kid, at) {
      const result = await db.query(
        `UPDATE signing_keys SET state = 'retired', retired_at = $2 WHERE kid = $1 AND state = 'next'`,
        [kid, at],
      );
      return result.rowCount === 1;
    },
    async removeRetired(kid) {
      const result = await db.query(
        `DELETE FROM signing_keys WHERE kid = $1 AND state = 'retired'`,
        [kid],
      );
      return result.rowCount === 1;
    },
  };
}
