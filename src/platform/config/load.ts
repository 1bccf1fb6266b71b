import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, productionGuards, type Config } from './schema.js';

/**
 * Loads configuration once at start, in this order (later wins):
 *   1. config/default.yaml          every key, documented, with its default
 *   2. config/<env>.yaml            when present (env from NODE_ENV, default development)
 *   3. the file named by LATCHKEY_CONFIG_FILE, when set
 *   4. environment variables        LATCHKEY_<PATH> plus DATABASE_URL, REDIS_URL, PORT
 * then validates the result against the one zod schema. This is the only module that
 * reads process.env (rule of the house 5).
 */

export interface ConfigIssue {
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

type Tree = { [key: string]: unknown };

/**
 * config/ of this installation: the nearest ancestor of this module that holds
 * config/default.yaml (src/platform/config in development, dist/src/platform/config when
 * built), so the same lookup works from source and from compiled output.
 */
export function findConfigDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'config');
    if (existsSync(path.join(candidate, 'default.yaml'))) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('config');
}

const DEFAULT_CONFIG_DIR = findConfigDir();
const CONVENTIONAL_ENV: Record<string, string> = {
  DATABASE_URL: 'database.url',
  REDIS_URL: 'redis.url',
  PORT: 'server.port',
};
/** Variables with the prefix that are not config keys but steer the loader itself. */
const LOADER_ENV = new Set(['LATCHKEY_CONFIG_FILE']);

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
  /** Applied after files and environment; for tests and tools. */
  overrides?: Tree;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? DEFAULT_CONFIG_DIR;
  const issues: ConfigIssue[] = [];

  const defaults = readYamlFile(path.join(configDir, 'default.yaml'), issues);
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'test', 'production'].includes(nodeEnv)) {
    throw new ConfigError([
      { path: 'NODE_ENV', message: `must be development, test or production, not "${nodeEnv}"` },
    ]);
  }
  let merged: Tree = structuredClone(defaults);
  const envFile = path.join(configDir, `${nodeEnv}.yaml`);
  if (existsSync(envFile)) merged = deepMerge(merged, readYamlFile(envFile, issues), '', issues);
  if (env.LATCHKEY_CONFIG_FILE) {
    merged = deepMerge(merged, readYamlFile(env.LATCHKEY_CONFIG_FILE, issues), '', issues);
  }
  merged = deepMerge(merged, envOverrides(env, defaults, issues), '', issues);
  if (options.overrides) merged = deepMerge(merged, options.overrides, '', issues);
  // The environment comes from NODE_ENV alone: a file must not turn production checks off.
  if ('env' in merged)
    issues.push({ path: 'env', message: 'cannot be set in a file; set NODE_ENV instead' });
  merged.env = nodeEnv;
  if (issues.length) throw new ConfigError(issues);

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(root)',
        message:
          issue.code === 'unrecognized_keys'
            ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
            : issue.message,
      })),
    );
  }
  const config = parsed.data;
  if (config.env === 'production') {
    const refusals = productionGuards.map((guard) => guard(config)).filter((r) => r !== null);
    if (refusals.length) {
      throw new ConfigError(
        refusals.map((r) => ({
          path: r.path,
          message: `refused with NODE_ENV=production: ${r.message}`,
        })),
      );
    }
  }
  return deepFreeze(config);
}

function readYamlFile(file: string, issues: ConfigIssue[]): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    issues.push({
      path: file,
      message: `cannot be read (${(error as NodeJS.ErrnoException).code})`,
    });
    return {};
  }
  try {
    const value: unknown = parseYaml(text) ?? {};
    if (!isTree(value)) {
      issues.push({ path: file, message: 'must hold a YAML mapping' });
      return {};
    }
    return value;
  } catch (error) {
    issues.push({ path: file, message: `is not valid YAML: ${(error as Error).message}` });
    return {};
  }
}

/** server.bodyLimitBytes → LATCHKEY_SERVER_BODY_LIMIT_BYTES */
export function envNameFor(keyPath: string[]): string {
  return (
    'LATCHKEY_' +
    keyPath.map((segment) => segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')
  );
}

function leafPaths(tree: Tree, prefix: string[] = []): string[][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    isTree(value) ? leafPaths(value, [...prefix, key]) : [[...prefix, key]],
  );
}

function envOverrides(env: NodeJS.ProcessEnv, defaults: Tree, issues: ConfigIssue[]): Tree {
  const byName = new Map(leafPaths(defaults).map((p) => [envNameFor(p), p]));
  const out: Tree = {};
  const apply = (name: string, keyPath: string[], raw: string) => {
    const coerced = FLEXIBLE_KEYS.has(keyPath.join('.'))
      ? coerceFlexible(raw)
      : coerce(raw, getPath(defaults, keyPath));
    if (coerced.error)
      issues.push({ path: keyPath.join('.'), message: `${name} ${coerced.error}` });
    else setPath(out, keyPath, coerced.value);
  };
  // The conventional names first, so the more specific LATCHKEY_ name wins when both are set.
  for (const [name, dotted] of Object.entries(CONVENTIONAL_ENV)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') apply(name, dotted.split('.'), raw);
  }
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !name.startsWith('LATCHKEY_') || LOADER_ENV.has(name)) continue;
    const keyPath = byName.get(name);
    if (!keyPath) {
      issues.push({
        path: name,
        message: 'unknown configuration variable (see config/default.yaml)',
      });
      continue;
    }
    apply(name, keyPath, raw);
  }
  return out;
}

/** Keys whose schema takes a boolean, a number or a string (Express's trust proxy). */
const FLEXIBLE_KEYS = new Set(['server.trustProxy']);
const DECIMAL = /^-?\d+(\.\d+)?$/;

function coerceFlexible(raw: string): { value?: unknown; error?: string } {
  if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
  return { value: /^\d+$/.test(raw) ? Number(raw) : raw };
}

/** Environment values are strings; the default's type says what the key expects. */
function coerce(raw: string, example: unknown): { value?: unknown; error?: string } {
  if (typeof example === 'number') {
    return DECIMAL.test(raw.trim())
      ? { value: Number(raw) }
      : { error: `must be a number, got "${raw}"` };
  }
  if (typeof example === 'boolean') {
    if (raw === 'true') return { value: true };
    if (raw === 'false') return { value: false };
    return { error: `must be true or false, got "${raw}"` };
  }
  if (Array.isArray(example)) {
    return { value: raw === '' ? [] : raw.split(',').map((item) => item.trim()) };
  }
  return { value: raw };
}

function deepMerge(base: Tree, over: Tree, at: string, issues: ConfigIssue[]): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const here = at ? `${at}.${key}` : key;
    const current = out[key];
    if (isTree(value) && isTree(current)) out[key] = deepMerge(current, value, here, issues);
    else if (isTree(current) && !isTree(value)) {
      issues.push({ path: here, message: 'must be a mapping' });
    } else out[key] = value;
  }
  return out;
}

function getPath(tree: Tree, keyPath: string[]): unknown {
  let node: unknown = tree;
  for (const segment of keyPath) node = isTree(node) ? node[segment] : undefined;
  return node;
}

function setPath(tree: Tree, keyPath: string[], value: unknown): void {
  let node = tree;
  for (const segment of keyPath.slice(0, -1)) {
    if (!isTree(node[segment])) node[segment] = {};
    node = node[segment] as Tree;
  }
  node[keyPath[keyPath.length - 1]!] = value;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
