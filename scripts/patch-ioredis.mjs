#!/usr/bin/env node
// postinstall: patches ioredis's Pipeline so that a finished pipeline does not stay
// reachable for the young-generation GC.
//
// ioredis (5.x and 6.0.0, lib/Pipeline.ts) gives every Pipeline its own `length` getter:
//   const _this = this; Object.defineProperty(this, "length", { get: function () { return _this._queue.length; } });
// V8 allocates the AccessorPair behind such a property directly in old space, and its
// getter is a closure over the pipeline. A scavenge treats every old-to-young pointer as a
// root without asking whether the old object is still alive, so each dead AccessorPair
// keeps its pipeline (commands, reply buffers, the callbacks and, through them, the HTTP
// requests awaiting them) alive until the next full GC: copied by one scavenge, promoted by
// the next. With enableAutoPipelining every command goes through a Pipeline, so under load
// nearly everything a request allocates was promoted (scavenges 4-10x longer).
// A getter on the prototype reads the same value and allocates nothing per pipeline.
// Idempotent; fails loudly if ioredis no longer has the expected code (re-check on upgrade).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const file = path.join(path.dirname(require.resolve('ioredis')), 'Pipeline.js');
const MARKER = 'latchkey: prototype length getter';
const ORIGINAL = `        const _this = this;
        Object.defineProperty(this, "length", {
            get: function () {
                return _this._queue.length;
            },
        });
    }
`;
const PATCHED = `    }
    // ${MARKER} (see scripts/patch-ioredis.mjs): a per-instance accessor's
    // AccessorPair lives in old space and kept every pipeline alive through scavenges.
    get length() {
        return this._queue.length;
    }
`;

const source = readFileSync(file, 'utf8');
if (source.includes(MARKER)) process.exit(0);
const at = source.indexOf(ORIGINAL);
if (at < 0 || source.indexOf(ORIGINAL, at + 1) >= 0) {
  console.error(`patch-ioredis: ${file} does not contain the expected Pipeline constructor code;`);
  console.error(
    'check whether this ioredis version still defines a per-instance `length` accessor.',
  );
  process.exit(1);
}
writeFileSync(file, source.slice(0, at) + PATCHED + source.slice(at + ORIGINAL.length));
console.log(
  `patch-ioredis: ${path.relative(process.cwd(), file)} patched (prototype length getter)`,
);
