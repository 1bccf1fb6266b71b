import type { AuditLog } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';

/** Looks up TXT records (node:dns/promises resolveTxt in production; a local answer in tests). */
export type TxtResolver = (name: string) => Promise<string[][]>;

// STUB — to be implemented (issue 3, domains).
export function createDomainService(_deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  resolveTxt: TxtResolver;
}) {
  return {};
}
export type DomainService = ReturnType<typeof createDomainService>;
