import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const packageDir = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** The package stands alone: services install it without Latchkey's server or its stores. */
describe('package boundaries', () => {
  it('when the manifest is read, then jose and lru-cache are its only dependencies', () => {
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['jose', 'lru-cache']);
    assert.deepEqual(Object.keys(manifest.peerDependencies), ['express']);
  });

  it('when its sources are read, then they import only node:, jose, lru-cache and each other', () => {
    const srcDir = new URL('src/', packageDir);
    for (const file of readdirSync(srcDir)) {
      const text = readFileSync(new URL(file, srcDir), 'utf8');
      for (const [, specifier] of text.matchAll(/from '([^']+)'/g)) {
        const allowed =
          specifier!.startsWith('node:') ||
          specifier === 'jose' ||
          specifier === 'lru-cache' ||
          /^\.\/[\w-]+\.js$/.test(specifier!);
        assert.ok(allowed, `${file} imports ${specifier}`);
      }
    }
  });
});
