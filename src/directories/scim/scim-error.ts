import { AppError } from '../../platform/errors.js';

/** RFC 7644 §3.12 scimType keywords this service answers with. */
export type ScimType =
  | 'invalidFilter'
  | 'invalidPath'
  | 'invalidSyntax'
  | 'invalidValue'
  | 'invalidVers'
  | 'mutability'
  | 'noTarget'
  | 'tooMany'
  | 'uniqueness';

/**
 * A SCIM refusal: its code is `scim_<scimType>`, which the one error renderer turns back
 * into the RFC 7644 §3.12 body's scimType (http/error-renderer.ts, style `scim`).
 */
export const scimError = (status: number, scimType: ScimType | null, message: string) =>
  new AppError(
    scimType ? `scim_${scimType}` : status === 404 ? 'not_found' : 'scim_error',
    message,
    {
      status,
    },
  );

const SCIM_TYPES = new Set<string>([
  'invalidFilter',
  'invalidPath',
  'invalidSyntax',
  'invalidValue',
  'invalidVers',
  'mutability',
  'noTarget',
  'tooMany',
  'uniqueness',
  'sensitive',
]);

/** What a library threw (scimmy's SCIMError, a TypeError from schema coercion), as an AppError. */
export function asScimError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof AppError) return error;
  const { status, scimType } = error as { status?: unknown; scimType?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = typeof scimType === 'string' && SCIM_TYPES.has(scimType) ? scimType : null;
    return scimError(status, type as ScimType | null, error.message);
  }
  // scimmy's schema coercion throws TypeError for a value of the wrong shape or a missing
  // required attribute: the client's mistake, named by the message.
  if (error instanceof TypeError) return scimError(400, 'invalidValue', error.message);
  return error;
}
