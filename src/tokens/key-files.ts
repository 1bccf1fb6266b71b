import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';

/**
 * Private signing keys as JWK files: `<dir>/<kid>.private.jwk.json`, mode 0600. The
 * folder is git-ignored (keys/README.md); in production it is a mounted secret.
 */
export interface KeyFiles {
  write(kid: string, privateJwk: JWK): Promise<void>;
  /** The private JWK, or null when there is no file for kid. */
  read(kid: string): Promise<JWK | null>;
  remove(kid: string): Promise<void>;
  pathOf(kid: string): string;
}

const KID_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function createKeyFiles(dir: string): KeyFiles {
  const pathOf = (kid: string) => {
    // kids come from our own thumbprints; refuse anything that could escape the folder.
    if (!KID_PATTERN.test(kid)) throw new Error(`invalid kid ${JSON.stringify(kid)}`);
    return path.join(dir, `${kid}.private.jwk.json`);
  };
  return {
    pathOf,
    async write(kid, privateJwk) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(pathOf(kid), JSON.stringify(privateJwk, null, 2) + '\n', {
        mode: 0o600,
        flag: 'wx',
      });
    },
    async read(kid) {
      try {
        return JSON.parse(await readFile(pathOf(kid), 'utf8')) as JWK;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async remove(kid) {
      await rm(pathOf(kid), { force: true });
    },
  };
}
