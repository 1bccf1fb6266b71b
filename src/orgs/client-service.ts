import type { AuditLog } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';

// STUB — to be implemented (issue 3, OAuth clients).
export function createClientService(_deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  /** Development and tests: http:// redirect and logout URIs on non-loopback hosts are never allowed; this only concerns back-channel logout to loopback. */
  allowHttpLoopback: boolean;
}) {
  return {};
}
export type ClientService = ReturnType<typeof createClientService>;
