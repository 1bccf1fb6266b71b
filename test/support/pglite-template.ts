import { readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migrate, pgliteDatabase, type Database } from '../../src/platform/db/index.js';
import { migrationsHash } from './services.js';

/**
 * Fresh, migrated in-memory PGlite databases, fast. PGlite's initdb (WebAssembly) takes
 * seconds per database, many times what migrating does, and each store suite wants a
 * fresh one. So one is built by initdb + migrate and dumped (PGlite's dumpDataDir) to
 * os.tmpdir(), under a name hashing everything that decides its contents (PGlite's
 * version, every migration's SQL, the migrator's source); every fresh database starts
 * from that copy (loadDataDir): the same state, in a fraction of the time. The migrations
 * themselves still run on PGlite whenever any of them (or PGlite) changes, and
 * test/platform/migrate.test.ts runs them on an empty PGlite every time.
 */
const require = createRequire(import.meta.url);
const PGLITE_DIST = path.dirname(require.resolve('@electric-sql/pglite'));

const templateKey = (): string =>
  migrationsHash(readFileSync(path.join(PGLITE_DIST, '..', 'package.json'), 'utf8'));

// Compiled once per process: PGlite would compile its WebAssembly for each instance.
let modules: Promise<{
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
}>;
const wasmModules = () =>
  (modules ??= (async () => ({
    pgliteWasmModule: await WebAssembly.compile(
      await readFile(path.join(PGLITE_DIST, 'pglite.wasm')),
    ),
    initdbWasmModule: await WebAssembly.compile(
      await readFile(path.join(PGLITE_DIST, 'initdb.wasm')),
    ),
  }))());

let template: Promise<Blob> | undefined;
const migratedTemplate = () =>
  (template ??= (async () => {
    const file = path.join(tmpdir(), `latchkey-pglite-${templateKey()}.tar.gz`);
    try {
      return new Blob([await readFile(file)]);
    } catch {
      // Not built yet on this machine (or unreadable): build it.
    }
    const pglite = await PGlite.create('memory://', await wasmModules());
    const db = pgliteDatabase(pglite);
    try {
      await migrate(db);
      const dump = await pglite.dumpDataDir('gzip');
      // Written aside, then renamed: a file running at the same time reads all or nothing.
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    } finally {
      await db.close();
    }
  })());

/** A fresh in-memory PGlite holding exactly what initdb + migrate leave. */
export async function freshPglite(): Promise<Database> {
  const pglite = await PGlite.create('memory://', {
    ...(await wasmModules()),
    loadDataDir: await migratedTemplate(),
  });
  return pgliteDatabase(pglite);
}
