export {
  loadConfig,
  ConfigError,
  envNameFor,
  findConfigDir,
  type ConfigIssue,
  type LoadConfigOptions,
} from './load.js';
export type { Config } from './schema.js';
