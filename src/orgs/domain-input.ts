import { z } from 'zod';
import { normaliseDomain } from './domain-name.js';

/** What an admin may send to the domains API (strict: unknown fields are refused). */

export const AddDomainBody = z.strictObject({
  domain: z
    .string()
    .max(1024)
    .transform((value, ctx) => {
      const result = normaliseDomain(value);
      if (result.ok) return result.domain;
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    }),
});

/** verify and attest take no input: an empty body or `{}`; anything else is refused. */
export const NoBody = z.strictObject({}).optional();
