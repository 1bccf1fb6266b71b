import { parseArgs } from 'node:util';
import { keyServices, openDatabase } from './app.js';
import { systemClock } from './platform/clock.js';
import { ConfigError, loadConfig } from './platform/config/index.js';
import { isAppError } from './platform/errors.js';
import { createLogger } from './platform/logger.js';

/**
 * Operator commands, run as `npm run cli -- <group> <command> [options]`. They use the
 * same configuration (config/, LATCHKEY_*, DATABASE_URL) as the server.
 */
const USAGE = `Usage: npm run cli -- <command>

  db migrate                 apply pending database migrations
  keys list [--json]         list signing keys with their state and publication
  keys add                   generate a key as "next" (published, not yet signing)
  keys promote <kid> [--force]
                             make a next key the active signer; the old active key is
                             retired and stays published until its tokens expired
  keys retire <kid>          withdraw a next key that will not be used
  keys prune                 delete retired keys whose publication window is over
`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, arg] = positionals;
  if (values.help || !group) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const logger = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level });
  const out = (text: string) => process.stdout.write(text + '\n');

  const db = await openDatabase(config, logger);
  try {
    if (group === 'db' && command === 'migrate') {
      out('database schema is up to date');
      return 0;
    }
    if (group === 'keys') {
      const { keyManager } = keyServices(config, db, systemClock);
      switch (command) {
        case 'list': {
          const keys = await keyManager.list();
          if (values.json) {
            out(
              JSON.stringify(
                keys.map(({ publicJwk: _jwk, ...rest }) => rest),
                null,
                2,
              ),
            );
          } else if (!keys.length) {
            out('no signing keys; create one with `keys add`');
          } else {
            for (const k of keys) {
              const until = k.publishedUntil ? ` until ${k.publishedUntil.toISOString()}` : '';
              out(
                `${k.kid}  ${k.alg}  ${k.state.padEnd(7)}  created ${k.createdAt.toISOString()}  ` +
                  `${k.published ? `published${until}` : 'unpublished'}`,
              );
            }
          }
          return 0;
        }
        case 'add': {
          const key = await keyManager.add();
          out(
            `added ${key.kid} (${key.alg}) as next: published now; promote it with \`keys promote ${key.kid}\``,
          );
          return 0;
        }
        case 'promote': {
          if (!arg) break;
          const { previousKid } = await keyManager.promote(arg, { force: values.force ?? false });
          out(
            `${arg} is now active${previousKid ? `; ${previousKid} retired (still published)` : ''}`,
          );
          return 0;
        }
        case 'retire': {
          if (!arg) break;
          await keyManager.retire(arg);
          out(`${arg} retired`);
          return 0;
        }
        case 'prune': {
          const removed = await keyManager.prune();
          out(removed.length ? `removed ${removed.join(', ')}` : 'nothing to prune');
          return 0;
        }
      }
    }
    process.stderr.write(`unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
    return 2;
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`latchkey: ${error.message}\n`);
    else if (isAppError(error)) process.stderr.write(`error (${error.code}): ${error.message}\n`);
    else process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
