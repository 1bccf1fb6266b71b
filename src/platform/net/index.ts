// Outbound HTTP to customer-supplied URLs, under an SSRF policy.
export { ipv6Groups, isForbiddenAddress, isLoopbackAddress } from './address-policy.js';
export {
  addressAllowed,
  assertOutboundUrl,
  assertResolvedTarget,
  type OutboundPolicy,
} from './outbound-policy.js';
export {
  guardedFetch,
  MAX_REDIRECTS,
  systemLookup,
  type GuardedFetchInit,
  type GuardedResponse,
  type HostLookup,
  type ResolvedAddress,
} from './guarded-fetch.js';
