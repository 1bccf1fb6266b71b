import { X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import { auditLogFor, keyServices, openDatabase } from './app.js';
import type { Config } from './platform/config/index.js';
import { systemClock } from './platform/clock.js';
import type { Database } from './platform/db/index.js';
import { ConfigError, loadConfig } from './platform/config/index.js';
import { AppError, isAppError } from './platform/errors.js';
import { verifyAuditSnapshot } from './audit/index.js';
import { SP_CERTIFICATE_FILE, SP_KEY_FILE, writeNewSpKeyPair } from './federation/index.js';
import { createApiKeyService } from './orgs/index.js';
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
  keys bootstrap             a first install: when no key is active, add one and make it
                             the signer at once (idempotent; docker-compose's setup runs it)
  saml-keys create [--if-missing]
                             write Latchkey's SAML SP key pair to keys.dir (RSA 2048,
                             self-signed for ten years); refused when one is there, unless
                             --if-missing, which then leaves it as it is
  apikeys create --platform [--name <name>]
  apikeys create --org <orgId> [--name <name>]
                             create an admin API key (platform:admin or org:admin);
                             the key is printed once and stored only as a verifier
  audit verify [--org <orgId>]
                             recompute every audit hash chain (or one org's) from its
                             retention anchor: prints OK with counts, or names the
                             first event altered or removed and exits 1
`;

interface Context {
  config: Config;
  db: Database;
  arg: string | undefined;
  flags: {
    json: boolean;
    force: boolean;
    ifMissing: boolean;
    platform: boolean;
    org?: string;
    name?: string;
  };
  out: (text: string) => void;
}

type Command = { needsArg?: string; run: (ctx: Context) => Promise<void> };

const keys = (ctx: Context) =>
  keyServices(ctx.config, ctx.db, systemClock, auditLogFor(ctx.config, ctx.db, systemClock))
    .keyManager;

const COMMANDS: Record<string, Command> = {
  'db migrate': {
    // openDatabase has applied every pending migration by the time this runs.
    run: (ctx) => Promise.resolve(ctx.out('database schema is up to date')),
  },
  'keys list': {
    async run(ctx) {
      const list = await keys(ctx).list();
      if (ctx.flags.json) {
        ctx.out(
          JSON.stringify(
            list.map(({ publicJwk: _jwk, ...rest }) => rest),
            null,
            2,
          ),
        );
        return;
      }
      if (!list.length) ctx.out('no signing keys; create one with `keys add`');
      for (const k of list) {
        const until = k.publishedUntil ? ` until ${k.publishedUntil.toISOString()}` : '';
        ctx.out(
          `${k.kid}  ${k.alg}  ${k.state.padEnd(7)}  created ${k.createdAt.toISOString()}  ` +
            `${k.published ? `published${until}` : 'unpublished'}`,
        );
      }
    },
  },
  'keys add': {
    async run(ctx) {
      const key = await keys(ctx).add();
      ctx.out(
        `added ${key.kid} (${key.alg}) as next: published now; promote it with \`keys promote ${key.kid}\``,
      );
    },
  },
  'keys promote': {
    needsArg: '<kid>',
    async run(ctx) {
      const { previousKid } = await keys(ctx).promote(ctx.arg!, { force: ctx.flags.force });
      ctx.out(
        `${ctx.arg} is now active${previousKid ? `; ${previousKid} retired (still published)` : ''}`,
      );
    },
  },
  'keys retire': {
    needsArg: '<kid>',
    async run(ctx) {
      await keys(ctx).retire(ctx.arg!);
      ctx.out(`${ctx.arg} retired`);
    },
  },
  'keys prune': {
    async run(ctx) {
      const removed = await keys(ctx).prune();
      ctx.out(removed.length ? `removed ${removed.join(', ')}` : 'nothing to prune');
    },
  },
};

COMMANDS['keys bootstrap'] = {
  async run(ctx) {
    const manager = keys(ctx);
    const active = (await manager.list()).find((key) => key.state === 'active');
    if (active) {
      ctx.out(`${active.kid} is the active signing key; nothing to do`);
      return;
    }
    // A first install has no tokens in flight that a not-yet-published key could break.
    const key = await manager.add();
    await manager.promote(key.kid, { force: true });
    ctx.out(`added ${key.kid} (${key.alg}) and made it the active signing key`);
  },
};

COMMANDS['saml-keys create'] = {
  async run(ctx) {
    const pair = await writeNewSpKeyPair(
      ctx.config.keys.dir,
      systemClock.nowMs(),
      'Latchkey SAML SP',
    );
    const fingerprint = new X509Certificate(pair.certificatePem).fingerprint256;
    if (!pair.created && !ctx.flags.ifMissing) {
      throw new AppError(
        'saml_sp_key_exists',
        `${SP_KEY_FILE} is in ${ctx.config.keys.dir} already (certificate SHA-256 ${fingerprint}); every IdP trusts it, so it is not replaced (keys/README.md: rotation)`,
      );
    }
    ctx.out(
      `${pair.created ? 'wrote' : 'kept'} ${SP_KEY_FILE} and ${SP_CERTIFICATE_FILE} in ${ctx.config.keys.dir} (certificate SHA-256 ${fingerprint})`,
    );
  },
};

COMMANDS['apikeys create'] = {
  async run(ctx) {
    const { platform, org, name } = ctx.flags;
    if (platform === (org !== undefined)) {
      throw new AppError(
        'usage',
        'apikeys create needs exactly one of --platform or --org <orgId>',
      );
    }
    const apiKeys = createApiKeyService({
      db: ctx.db,
      audit: auditLogFor(ctx.config, ctx.db, systemClock),
      clock: systemClock,
      cacheSeconds: 0,
    });
    const { key, secret } = await apiKeys.create(
      {
        orgId: org ?? null,
        body: { name: name ?? (platform ? 'bootstrap platform key' : 'org admin key') },
      },
      'cli',
      null,
    );
    ctx.out(`created ${key.scope} key ${key.id}${key.orgId ? ` for org ${key.orgId}` : ''}`);
    ctx.out(`secret (shown once, store it now): ${secret}`);
  },
};

COMMANDS['audit verify'] = {
  async run(ctx) {
    const reports = await verifyAuditSnapshot(
      ctx.db,
      ctx.flags.org !== undefined ? { orgId: ctx.flags.org } : {},
    );
    let broken = 0;
    for (const r of reports) {
      const counts =
        `${r.events} events from seq ${r.fromSeq + 1}, ${r.pseudonymised} pseudonymised` +
        (r.unchained ? `, ${r.unchained} from before the chain (not covered)` : '');
      if (r.ok) {
        ctx.out(`chain ${r.chainId}: OK (${counts})`);
        continue;
      }
      broken += 1;
      const f = r.failure!;
      const where = f.eventId ? `event ${f.eventId} (seq ${f.seq})` : `seq ${f.seq ?? '?'}`;
      ctx.out(`chain ${r.chainId}: FAILED at ${where}: ${f.problem}`);
    }
    if (broken) {
      throw new AppError(
        'audit_chain_broken',
        `${broken} of ${reports.length} audit chains failed`,
      );
    }
    ctx.out(`${reports.length} audit chain${reports.length === 1 ? '' : 's'} verified`);
  },
};

const usageError = (message: string) => {
  process.stderr.write(`${message}\n\n${USAGE}`);
  return 2;
};

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        force: { type: 'boolean' },
        'if-missing': { type: 'boolean' },
        platform: { type: 'boolean' },
        org: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [group, name, arg] = positionals;
  const command = COMMANDS[`${group} ${name}`];
  if (!command) return usageError(`unknown command: ${positionals.join(' ') || '(none)'}`);
  if (command.needsArg && !arg) return usageError(`${group} ${name} needs ${command.needsArg}`);

  const config = loadConfig();
  const logger = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level });
  const db = await openDatabase(config, logger);
  try {
    await command.run({
      config,
      db,
      arg,
      flags: {
        json: values.json ?? false,
        force: values.force ?? false,
        ifMissing: values['if-missing'] ?? false,
        platform: values.platform ?? false,
        ...(values.org !== undefined ? { org: values.org } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
      },
      out: (text) => process.stdout.write(text + '\n'),
    });
    return 0;
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
    process.exit(isAppError(error) && error.code === 'usage' ? 2 : 1);
  },
);
