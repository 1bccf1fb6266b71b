import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { AppError } from '../errors.js';
import { ipLiteralOf } from './address-policy.js';
import { assertOutboundUrl, assertResolvedTarget, type OutboundPolicy } from './outbound-policy.js';

/**
 * Fetching customer-supplied URLs (IdP metadata, OIDC discovery, JWKS) without becoming
 * a server-side request forgery tool. For each hop, in order:
 *   1. the URL is https (http only to loopback, when allowed) and carries no credentials;
 *   2. the host is resolved once, and every address must be allowed (no loopback,
 *      private, link-local, CGNAT, multicast… unless the host is allowlisted);
 *   3. the connection is pinned to the checked address (DNS is not asked again, so a
 *      rebinding answer cannot swap it);
 *   4. a redirect is followed by hand, at most MAX_REDIRECTS times, each target going
 *      through the same checks;
 *   5. the whole exchange has one deadline, and the body is read up to maxResponseBytes.
 */

export const MAX_REDIRECTS = 3;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; injectable so tests never ask DNS. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

export interface GuardedFetchInit {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  lookup?: HostLookup;
  /**
   * Answer a redirect as it came instead of following it (webhook deliveries: a
   * redirected POST would become a bodiless GET, or carry a signed body elsewhere).
   */
  followRedirects?: boolean;
}

export interface GuardedResponse {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  text(): string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const timedOut = () =>
  new AppError('outbound_timeout', 'The remote server did not answer in time.', { status: 504 });
const tooLarge = (limit: number) =>
  new AppError('response_too_large', `The response is larger than ${limit} bytes.`, {
    status: 502,
  });
const failed = (message: string, cause?: unknown) =>
  new AppError('outbound_failed', message, { status: 502, cause });

/** A `net.connect` lookup that answers with the one address that was checked. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  // Node asks for every address (`all`) when it races IPv4 and IPv6 (autoSelectFamily).
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

async function resolveHost(url: URL, lookup: HostLookup): Promise<ResolvedAddress[]> {
  const literal = ipLiteralOf(url.hostname);
  if (literal) return [{ address: literal, family: isIP(literal) === 6 ? 6 : 4 }];
  try {
    return await lookup(url.hostname);
  } catch (error) {
    throw failed(`The host ${url.hostname} could not be resolved.`, error);
  }
}

/** Rejects when the signal aborts, so a hung DNS lookup still ends at the deadline. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(timedOut());
      return;
    }
    const onAbort = () => reject(timedOut());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const flatHeaders = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(
    Object.entries(headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
  );

/** One request to one checked, pinned address; no redirects followed here. */
async function exchange(
  url: URL,
  pinned: ResolvedAddress,
  init: { method: string; headers: Record<string, string>; body: string | undefined },
  policy: OutboundPolicy,
  signal: AbortSignal,
) {
  const agent = new Agent({
    connect: { lookup: pinnedLookup(pinned), timeout: policy.timeoutMs },
    headersTimeout: policy.timeoutMs,
    bodyTimeout: policy.timeoutMs,
    connections: 1,
    pipelining: 0,
  });
  try {
    const response = await request(url, {
      dispatcher: agent,
      method: init.method as 'GET',
      headers: init.headers,
      body: init.body,
      signal,
      maxRedirections: 0,
    });
    const headers = flatHeaders(response.headers);
    // Bodies left unread are destroyed; the abort error that raises is expected.
    response.body.on('error', () => undefined);
    if (REDIRECT_STATUSES.has(response.statusCode)) {
      response.body.destroy();
      return { status: response.statusCode, headers, body: Buffer.alloc(0) };
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > policy.maxResponseBytes) {
      response.body.destroy();
      throw tooLarge(policy.maxResponseBytes);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response.body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      total += buffer.length;
      if (total > policy.maxResponseBytes) {
        response.body.destroy();
        throw tooLarge(policy.maxResponseBytes);
      }
      chunks.push(buffer);
    }
    return { status: response.statusCode, headers, body: Buffer.concat(chunks) };
  } finally {
    agent.destroy().catch(() => undefined);
  }
}

/**
 * Fetches a customer-supplied URL under the outbound policy. Non-2xx answers are returned,
 * not thrown; refusals and failures are AppErrors: `outbound_forbidden_target` (before
 * anything is dialled), `outbound_timeout`, `response_too_large`, `outbound_failed`.
 */
export async function guardedFetch(
  target: string | URL,
  policy: OutboundPolicy,
  init: GuardedFetchInit = {},
): Promise<GuardedResponse> {
  const lookup = init.lookup ?? systemLookup;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), policy.timeoutMs);
  let method: string = init.method ?? 'GET';
  let body = init.body;
  let headers: Record<string, string> = { ...init.headers };
  let url = assertOutboundUrl(target, policy, { resolvedLater: true });
  try {
    for (let redirects = 0; ; redirects++) {
      const addresses = await untilAborted(resolveHost(url, lookup), deadline.signal);
      assertResolvedTarget(
        url,
        addresses.map((a) => a.address),
        policy,
      );
      let result;
      try {
        result = await exchange(
          url,
          addresses[0]!,
          { method, headers, body },
          policy,
          deadline.signal,
        );
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (deadline.signal.aborted) throw timedOut();
        throw failed(`The request to ${url.host} failed.`, error);
      }
      if (!REDIRECT_STATUSES.has(result.status) || init.followRedirects === false) {
        const responseBody = result.body;
        return {
          status: result.status,
          url: url.href,
          headers: result.headers,
          body: responseBody,
          text: () => responseBody.toString('utf8'),
        };
      }
      if (redirects >= MAX_REDIRECTS) throw failed(`More than ${MAX_REDIRECTS} redirects.`);
      const location = result.headers.location;
      if (!location) throw failed('A redirect without a Location header.');
      let next: URL;
      try {
        next = assertOutboundUrl(new URL(location, url), policy, { resolvedLater: true });
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw failed('A redirect to an invalid URL.', error);
      }
      // RFC 9110 §15.4: 303 (and, by long practice, 301/302 after POST) continue as GET.
      if (result.status === 303 || (method === 'POST' && result.status <= 302)) {
        method = 'GET';
        body = undefined;
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => !/^content-/i.test(name)),
        );
      }
      // Credentials never follow a redirect to another origin.
      if (next.origin !== url.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => !/^(authorization|cookie)$/i.test(name)),
        );
      }
      url = next;
    }
  } finally {
    clearTimeout(timer);
  }
}
