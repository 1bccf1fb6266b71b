import { generateKeyPairSync, X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../platform/clock.js';
import { createSelfSignedCertificate } from '../../platform/crypto/index.js';
import { AppError } from '../../platform/errors.js';

/**
 * Latchkey's own SAML key pair (one for every connection): it signs AuthnRequests and
 * Single Logout messages and decrypts encrypted assertions. Kept like the JWT signing
 * keys, in keys.dir (keys/README.md):
 *
 *   saml-sp.key.pem        the private key (PKCS#8 PEM, mode 0600)
 *   saml-sp.crt.pem        its certificate, published in every connection's SP metadata
 *   saml-sp.next.key.pem   optional, during a rotation: the next pair, whose certificate
 *   saml-sp.next.crt.pem   is published beside the current one and whose key also decrypts
 *
 * In development (keys.generateIfMissing) a missing pair is generated on first use: RSA
 * 2048 with a self-signed certificate valid for ten years. Otherwise it must be mounted.
 */
export interface SpKeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

export interface SpKeys {
  current: SpKeyPair;
  next: SpKeyPair | null;
}

export const SP_KEY_FILE = 'saml-sp.key.pem';
export const SP_CERTIFICATE_FILE = 'saml-sp.crt.pem';
const NEXT_KEY_FILE = 'saml-sp.next.key.pem';
const NEXT_CERTIFICATE_FILE = 'saml-sp.next.crt.pem';
const GENERATED_VALIDITY_MS = 10 * 365 * 86_400_000;

const missing = () =>
  new AppError(
    'saml_sp_key_missing',
    'SAML sign-in is not set up on this server yet. Contact your IT help desk.',
    { status: 503 },
  );

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The pair in two files, checked: the certificate parses and belongs to the key. */
async function readPair(dir: string, keyFile: string, certFile: string): Promise<SpKeyPair | null> {
  const [privateKeyPem, certificatePem] = await Promise.all([
    readIfPresent(path.join(dir, keyFile)),
    readIfPresent(path.join(dir, certFile)),
  ]);
  if (privateKeyPem === null && certificatePem === null) return null;
  if (privateKeyPem === null || certificatePem === null) {
    throw new Error(`${path.join(dir, keyFile)} and ${certFile} must both be present, or neither`);
  }
  const certificate = new X509Certificate(certificatePem);
  if (!certificate.checkPrivateKey(createPrivateKey(privateKeyPem))) {
    throw new Error(`${certFile} is not the certificate of ${keyFile}`);
  }
  return { privateKeyPem, certificatePem: certificate.toString() };
}

/**
 * A new pair written to `dir` (RSA 2048, self-signed for ten years); when the key file is
 * there already (another process, or an operator), the pair found there is returned.
 */
export async function writeNewSpKeyPair(
  dir: string,
  nowMs: number,
  commonName: string,
): Promise<SpKeyPair & { created: boolean }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificatePem = createSelfSignedCertificate({
    privateKey,
    publicKey,
    commonName,
    notBefore: new Date(nowMs - 60_000),
    notAfter: new Date(nowMs + GENERATED_VALIDITY_MS),
  });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: of two processes starting at once, one writes and the other reads its pair.
    await writeFile(path.join(dir, SP_KEY_FILE), privateKeyPem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readPair(dir, SP_KEY_FILE, SP_CERTIFICATE_FILE);
    if (theirs) return { ...theirs, created: false };
    throw error;
  }
  await writeFile(path.join(dir, SP_CERTIFICATE_FILE), certificatePem, { mode: 0o644 });
  return { privateKeyPem, certificatePem, created: true };
}

export function createSpKeySource(deps: { dir: string; generateIfMissing: boolean; clock: Clock }) {
  let loaded: Promise<SpKeys> | null = null;

  const generate = () =>
    writeNewSpKeyPair(deps.dir, deps.clock.nowMs(), 'Latchkey SAML SP (development)');

  const load = async (): Promise<SpKeys> => {
    let current = await readPair(deps.dir, SP_KEY_FILE, SP_CERTIFICATE_FILE);
    if (!current) {
      if (!deps.generateIfMissing) throw missing();
      current = await generate();
    }
    return { current, next: await readPair(deps.dir, NEXT_KEY_FILE, NEXT_CERTIFICATE_FILE) };
  };

  return {
    /** The key pair(s), read (or generated) on first use and kept; a failure is retried next time. */
    get(): Promise<SpKeys> {
      loaded ??= load().catch((error: unknown) => {
        loaded = null;
        throw error;
      });
      return loaded;
    },
  };
}

export type SpKeySource = ReturnType<typeof createSpKeySource>;
