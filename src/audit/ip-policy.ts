import { isIP } from 'node:net';

/** How much of a client's IP address an org's audit trail keeps. */
export type AuditIpPolicy = 'full' | 'truncated' | 'none';

export const AUDIT_IP_POLICIES: readonly AuditIpPolicy[] = ['full', 'truncated', 'none'];

const expandIpv6 = (address: string): number[] | null => {
  const [head, tail, ...rest] = address.split('::');
  if (rest.length) return null;
  const part = (text: string | undefined) =>
    text ? text.split(':').map((group) => parseInt(group, 16)) : [];
  const left = part(head);
  const right = part(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<number>(tail === undefined ? 0 : missing).fill(0), ...right];
  return groups.some((g) => Number.isNaN(g)) ? null : groups;
};

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
    const groups = expandIpv6(address.includes('.') ? '' : address);
    if (!groups) return null;
    return `${groups
      .slice(0, 3)
      .map((g) => g.toString(16))
      .join(':')}::`;
  }
  return null;
}
