import { AppError } from '../errors.js';
import { ipLiteralOf, isForbiddenAddress, isLoopbackAddress } from './address-policy.js';

/**
 * Limits on fetching customer-supplied URLs (IdP metadata, OIDC discovery, JWKS), from
 * config `outbound`.
 */
export interface OutboundPolicy {
  /** For the whole exchange: DNS, connect, every redirect, the last byte of the body. */
  timeoutMs: number;
  maxResponseBytes: number;
  /** Development and tests: plain http to loopback addresses (the demo IdPs). */
  allowHttpLoopback: boolean;
  /** Hosts that may resolve to private addresses (an on-premises IdP). */
  allowedPrivateHosts: readonly string[];
}

export const forbiddenTarget = (message: string) =>
  new AppError('outbound_forbidden_target', message, { status: 400 });

/** RFC 6761 §6.3: "localhost" and names under it are loopback. */
const isLocalhostName = (hostname: string) =>
  hostname === 'localhost' || hostname.endsWith('.localhost');

const normalise = (hostname: string) =>
  hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');

const isAllowlisted = (hostname: string, policy: OutboundPolicy) =>
  policy.allowedPrivateHosts.some((allowed) => normalise(allowed) === normalise(hostname));

/**
 * What can be said of a URL before resolving it: https (or http to a loopback host when
 * allowed), no credentials, and no IP literal that is forbidden. With `resolvedLater`
 * (a fetch, which then checks every address) an http host name need not be "localhost".
 * Throws `outbound_forbidden_target`; returns the parsed URL.
 */
export function assertOutboundUrl(
  raw: string | URL,
  policy: OutboundPolicy,
  options: { resolvedLater?: boolean } = {},
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw forbiddenTarget('The URL is not valid.');
  }
  if (url.username || url.password) throw forbiddenTarget('The URL must not carry credentials.');
  const hostname = normalise(url.hostname);
  const literal = ipLiteralOf(hostname);
  const loopbackHost = literal ? isLoopbackAddress(literal) : isLocalhostName(hostname);
  if (url.protocol === 'http:') {
    // A fetch resolves the name and then demands loopback addresses; a URL that is only
    // stored must say so in its host.
    const mayBeLoopback = loopbackHost || (options.resolvedLater === true && !literal);
    if (!(policy.allowHttpLoopback && mayBeLoopback)) {
      throw forbiddenTarget(
        policy.allowHttpLoopback
          ? 'The URL must use https (http only for loopback hosts).'
          : 'The URL must use https.',
      );
    }
    return url;
  }
  if (url.protocol !== 'https:') throw forbiddenTarget('The URL must use https.');
  if (literal && isForbiddenAddress(literal) && !addressAllowed(hostname, literal, policy)) {
    throw forbiddenTarget('The URL points at an address that outbound fetches may not reach.');
  }
  return url;
}

/** Whether this (host, resolved address) pair may be dialled under the policy. */
export function addressAllowed(hostname: string, address: string, policy: OutboundPolicy): boolean {
  if (!isForbiddenAddress(address)) return true;
  if (policy.allowHttpLoopback && isLoopbackAddress(address)) return true;
  return isAllowlisted(hostname, policy);
}

/**
 * The decision for one hop, once the host is resolved: every address must be allowed
 * (an attacker controls which one a client would pick), and plain http needs every
 * address to be loopback. Throws `outbound_forbidden_target`.
 */
export function assertResolvedTarget(
  url: URL,
  addresses: readonly string[],
  policy: OutboundPolicy,
): void {
  const hostname = normalise(url.hostname);
  if (addresses.length === 0) throw forbiddenTarget('The host has no address.');
  if (url.protocol === 'http:') {
    if (!policy.allowHttpLoopback || !addresses.every(isLoopbackAddress)) {
      throw forbiddenTarget('The URL must use https (http only for loopback hosts).');
    }
    return;
  }
  if (!addresses.every((address) => addressAllowed(hostname, address, policy))) {
    throw forbiddenTarget('The URL resolves to an address that outbound fetches may not reach.');
  }
}
