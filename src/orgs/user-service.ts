import type { AuditLog } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import type { SessionTerminator } from './org-service.js';

// STUB — to be implemented (issue 3, users).
export function createUserService(_deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  sessions: SessionTerminator;
}) {
  return {};
}
export type UserService = ReturnType<typeof createUserService>;
