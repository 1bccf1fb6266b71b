import argon2 from 'argon2';

/**
 * Verifiers for secrets Latchkey only ever checks (API keys, OAuth client secrets):
 * argon2id, so a leaked table does not give the secrets away. Slow on purpose (~0.1 s):
 * callers cache successful checks so the hot path pays it once per secret a minute.
 */
export const createVerifier = (secret: string): Promise<string> =>
  argon2.hash(secret, { type: argon2.argon2id });

export async function checkVerifier(verifier: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(verifier, secret);
  } catch {
    return false;
  }
}
