export {
  loadConfig,
  ConfigError,
  envNameFor,
  type ConfigIssue,
  type LoadConfigOptions,
} from './load.js';
export type { Config } from './schema.js';
