import type { AuditLog } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';

export interface OutboundPolicy {
  timeoutMs: number;
  maxResponseBytes: number;
  allowHttpLoopback: boolean;
  allowedPrivateHosts: readonly string[];
}

// STUB — to be implemented (issue 3, connections).
export function createConnectionService(_deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  secretBox: SecretBox;
  /** Latchkey's issuer URL: the base of SP entity ids, ACS and metadata URLs. */
  issuer: string;
  outbound: OutboundPolicy;
}) {
  return {};
}
export type ConnectionService = ReturnType<typeof createConnectionService>;
