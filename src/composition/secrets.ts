import type { Config } from '../platform/config/index.js';
import { deriveKey } from '../platform/crypto/index.js';
import { deriveRefreshTokenKey } from '../tokens/index.js';

/**
 * The secrets every process shares, as configured, or in development the public ones
 * below. Being public, those are refused in production: the config guard
 * (platform/config/schema.ts) requires secrets.keyEncryptionKey and
 * secrets.auditPseudonymKey there.
 */
const DEV_KEY_ENCRYPTION_KEY = Buffer.from('latchkey-development-only-kek!!!').toString('base64');
const DEV_AUDIT_PSEUDONYM_KEY = Buffer.from('latchkey-development-pseudonyms!');

/** The key-encryption key (base64) that seals upstream client secrets and webhook secrets. */
export const keyEncryptionKey = (config: Config): string =>
  config.secrets.keyEncryptionKey || DEV_KEY_ENCRYPTION_KEY;

/** The HMAC key of the pseudonyms that replace an erased user's id in the audit trail. */
export const auditPseudonymKey = (config: Config): Buffer =>
  config.secrets.auditPseudonymKey
    ? Buffer.from(config.secrets.auditPseudonymKey, 'base64')
    : DEV_AUDIT_PSEUDONYM_KEY;

/**
 * The key of the authorization endpoint's re-authentication marker: derived from the
 * key-encryption key every process shares, which is never used as is.
 */
export const reauthenticationKey = (config: Config): Buffer =>
  deriveKey(
    Buffer.from(keyEncryptionKey(config), 'base64'),
    'latchkey/authorize/reauthentication-marker',
  );

/** The MAC key of refresh tokens: derived by the tokens domain from the key-encryption key. */
export const refreshTokenKey = (config: Config): Buffer =>
  deriveRefreshTokenKey(Buffer.from(keyEncryptionKey(config), 'base64'));
