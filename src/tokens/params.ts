import { createHash } from 'node:crypto';
import { oauthError } from './oauth-errors.js';

/** One request's parameters: a name given twice is an error (RFC 6749 §3.1, §3.2). */
export type Params = Record<string, unknown>;

export function single(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw oauthError('invalid_request', `Parameter ${name} must appear once.`);
  return value;
}

export function required(params: Params, name: string): string {
  const value = single(params, name);
  if (!value) throw oauthError('invalid_request', `Parameter ${name} is required.`);
  return value;
}

/** RFC 7636 §4.2: code_challenge is BASE64URL(SHA256(verifier)), 43 characters. */
export const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 §4.1: code_verifier is 43-128 unreserved characters. */
export const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** RFC 6749 §3.3 scope-token. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** RFC 7636 §4.2: the S256 code challenge of a verifier. */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export const withQuery = (base: string, query: Record<string, string | undefined>) => {
  const url = new URL(base);
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
};
