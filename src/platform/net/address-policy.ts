import { isIP } from 'node:net';

/**
 * Which IP addresses an outbound fetch of a customer-supplied URL may reach. Anything
 * that is not plainly a public unicast address is forbidden: loopback, private,
 * link-local (cloud metadata at 169.254.169.254 lives there), carrier-grade NAT,
 * "this network", multicast, reserved and documentation ranges — and the IPv6 forms
 * that embed an IPv4 address (mapped, compatible, NAT64, 6to4), judged by the IPv4
 * address they carry. Input that is not an IP address at all is forbidden (fail closed).
 */

type V4Range = readonly [base: number, prefixBits: number];

const v4 = (dotted: string): number =>
  dotted.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);

// RFC 6890 special-purpose IPv4 ranges, minus the ones meant to be globally reachable.
const FORBIDDEN_V4: readonly V4Range[] = [
  [v4('0.0.0.0'), 8], // "this network" (RFC 791); 0.0.0.0 reaches localhost on Linux
  [v4('10.0.0.0'), 8], // private (RFC 1918)
  [v4('100.64.0.0'), 10], // carrier-grade NAT (RFC 6598)
  [v4('127.0.0.0'), 8], // loopback
  [v4('169.254.0.0'), 16], // link-local, incl. cloud metadata 169.254.169.254
  [v4('172.16.0.0'), 12], // private (RFC 1918)
  [v4('192.0.0.0'), 24], // IETF protocol assignments
  [v4('192.0.2.0'), 24], // TEST-NET-1
  [v4('192.88.99.0'), 24], // 6to4 relay anycast (deprecated)
  [v4('192.168.0.0'), 16], // private (RFC 1918)
  [v4('198.18.0.0'), 15], // benchmarking (RFC 2544)
  [v4('198.51.100.0'), 24], // TEST-NET-2
  [v4('203.0.113.0'), 24], // TEST-NET-3
  [v4('224.0.0.0'), 4], // multicast
  [v4('240.0.0.0'), 4], // reserved, incl. broadcast 255.255.255.255
];

const inV4Range = (address: number, [base, bits]: V4Range) => {
  const size = 2 ** (32 - bits);
  return Math.floor(address / size) === Math.floor(base / size);
};

function parseV4(text: string): number | null {
  if (isIP(text) !== 4) return null;
  return v4(text);
}

/**
 * The eight 16-bit groups of an IPv6 address (with any dotted IPv4 tail expanded), or
 * null when text is not one.
 */
export function ipv6Groups(text: string): number[] | null {
  if (isIP(text) !== 6) return null;
  let head = text;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const value = v4(dotted[1]!);
    tail.push(Math.floor(value / 65536), value % 65536);
    head = text.slice(0, -dotted[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const groups = (part: string | undefined) =>
    part
      ? part
          .split(':')
          .filter(Boolean)
          .map((g) => parseInt(g, 16))
      : [];
  const leftGroups = groups(left);
  const rightGroups = [...groups(right), ...tail];
  if (right === undefined) return [...leftGroups, ...tail];
  const zeros = new Array<number>(8 - leftGroups.length - rightGroups.length).fill(0);
  return [...leftGroups, ...zeros, ...rightGroups];
}

const embeddedV4 = (high: number, low: number) => high * 65536 + low;

/** Classifies an IPv6 address; embedded IPv4 addresses are judged as IPv4. */
function isForbiddenV6(g: number[]): boolean {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::ffff:a.b.c.d (IPv4-mapped): a dual-stack socket reaches the IPv4 address.
  if (firstFiveZero && g5 === 0xffff) return isForbiddenV4(embeddedV4(g6, g7));
  // ::/96 holds :: (unspecified), ::1 (loopback) and the deprecated IPv4-compatible
  // addresses; none is a destination on the internet.
  if (firstFiveZero && g5 === 0) return true;
  // ::ffff:0:a.b.c.d (IPv4-translated, RFC 2765).
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) {
    return isForbiddenV4(embeddedV4(g6, g7));
  }
  // 64:ff9b::/96 NAT64 well-known prefix: reaches the embedded IPv4 address.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return isForbiddenV4(embeddedV4(g6, g7));
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return true; // 64:ff9b:1::/48 local-use NAT64
  // 2002::/16 6to4: the IPv4 address is in groups 1 and 2.
  if (g0 === 0x2002) return isForbiddenV4(embeddedV4(g1, g2));
  if (g0 === 0x2001 && g1 === 0) return true; // 2001::/32 Teredo tunnels
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // 100::/64 discard
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g0 & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  // Anything outside 2000::/3 (global unicast) is not assigned for use on the internet.
  return (g0 & 0xe000) !== 0x2000;
}

function isForbiddenV4(address: number): boolean {
  return FORBIDDEN_V4.some((range) => inV4Range(address, range));
}

/** Drops an IPv6 zone id ("fe80::1%eth0") and brackets ("[::1]"). */
const bare = (ip: string) => ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');

/** True unless `ip` is a public unicast address an outbound fetch may reach. */
export function isForbiddenAddress(ip: string): boolean {
  const text = bare(ip.trim());
  const asV4 = parseV4(text);
  if (asV4 !== null) return isForbiddenV4(asV4);
  const asV6 = ipv6Groups(text);
  if (asV6 && asV6.length === 8) return isForbiddenV6(asV6);
  return true;
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms: where dev IdPs listen. */
export function isLoopbackAddress(ip: string): boolean {
  const text = bare(ip.trim());
  const asV4 = parseV4(text);
  if (asV4 !== null) return inV4Range(asV4, [v4('127.0.0.0'), 8]);
  const g = ipv6Groups(text);
  if (!g || g.length !== 8) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  return mapped && inV4Range(embeddedV4(g[6]!, g[7]!), [v4('127.0.0.0'), 8]);
}

/** An IP literal as a URL hostname carries it ("[::1]"); `isIP` wants it bare. */
export function ipLiteralOf(hostname: string): string | null {
  const text = bare(hostname);
  return isIP(text) ? text : null;
}
