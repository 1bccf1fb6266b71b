import type { IncomingMessage } from 'node:http';

/** The largest form the development IdPs read (a sign-in form is a few hundred bytes). */
const MAX_FORM_BYTES = 16 * 1024;

/** A form refused before it was read: 415 (not a urlencoded form) or 413 (too large). */
export class FormError extends Error {
  constructor(readonly status: number) {
    super(`form refused (${status})`);
  }
}

/** Reads an application/x-www-form-urlencoded body of at most 16 KB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new FormError(415);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormError(413);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The demo account a sign-in form names, or what to tell the person: demo accounts take
 * any password, but one must be typed, as on a real sign-in page.
 */
export function signInFrom<A>(
  form: URLSearchParams,
  byEmail: ReadonlyMap<string, A>,
  idpName: string,
):
  { email: string; account: A; problem: null } | { email: string; account: null; problem: string } {
  const email = (form.get('email') ?? '').trim();
  const account = byEmail.get(email.toLowerCase());
  if (!account)
    return { email, account: null, problem: `There is no ${idpName} account for that email.` };
  if (!form.get('password')) return { email, account: null, problem: 'Enter your password.' };
  return { email, account, problem: null };
}
