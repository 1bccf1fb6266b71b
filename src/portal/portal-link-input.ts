import { z } from 'zod';
import { PORTAL_INTENTS } from './portal-link.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the portal's "Done" button sends the customer: an absolute https URL (http only
 * to a loopback host where outbound.allowHttpLoopback allows it, as in development), no
 * user information (it makes a URL read as another host), at most 2000 characters.
 */
export function returnUrlProblem(raw: string, allowHttpLoopback: boolean): string | null {
  const control = [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (control || /\s/.test(raw)) return 'must not contain whitespace or control characters';
  if (!URL.canParse(raw)) return 'must be an absolute URL';
  const url = new URL(raw);
  if (url.username || url.password || raw.slice(0, raw.indexOf(url.host)).includes('@')) {
    return 'must not contain user information';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && allowHttpLoopback && LOOPBACK_HOSTS.has(url.hostname)) {
    return null;
  }
  return 'must use https (http only for a loopback host in development)';
}

/** POST /orgs/{orgId}/portal-links: the intents, and optionally a lifetime and return URL. */
export const createLinkBody = (options: {
  maxLifetimeSeconds: number;
  allowHttpLoopback: boolean;
}) =>
  z.strictObject({
    intents: z
      .array(z.enum(PORTAL_INTENTS))
      .min(1)
      .max(PORTAL_INTENTS.length)
      .refine((list) => new Set(list).size === list.length, {
        message: 'must not repeat an intent',
      }),
    lifetime_seconds: z.number().int().min(60).max(options.maxLifetimeSeconds).optional(),
    return_url: z
      .string()
      .max(2000)
      .superRefine((value, ctx) => {
        const message = returnUrlProblem(value, options.allowHttpLoopback);
        if (message) ctx.addIssue({ code: 'custom', message });
      })
      .optional(),
  });
