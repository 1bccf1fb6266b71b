import { isIP } from 'node:net';
import { ipv6Groups } from '../platform/net/index.js';

/** How much of a client's IP address an org's audit trail keeps. */
export type AuditIpPolicy = 'full' | 'truncated' | 'none';

export const AUDIT_IP_POLICIES: readonly AuditIpPolicy[] = ['full', 'truncated', 'none'];

/**
 * The address as the policy keeps it: whole, its network only (IPv4 /24, IPv6 /48, the
 * prefixes commonly treated as no longer identifying one subscriber), or nothing. What
 * does not parse as an address is dropped, never kept by accident.
 */
export function applyIpPolicy(ip: string | null, policy: AuditIpPolicy): string | null {
  if (ip === null || policy === 'none') return null;
  if (policy === 'full') return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip.replace(/%.*$/, '');
  const kind = isIP(address);
  if (kind === 4) return address.split('.').slice(0, 3).concat('0').join('.');
  if (kind === 6) {
    // An IPv6 address with a dotted IPv4 tail is not kept in part: it is dropped.
    const groups = address.includes('.') ? null : ipv6Groups(address);
    if (!groups) return null;
    return `${groups
      .slice(0, 3)
      .map((g) => g.toString(16))
      .join(':')}::`;
  }
  return null;
}
