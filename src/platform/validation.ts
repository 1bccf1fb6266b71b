import type { z } from 'zod';
import { AppError, type FieldIssue } from './errors.js';

/**
 * Parses untrusted input with a zod schema. Failure is a 400 `validation_failed` whose
 * `fields` name each offending field, including unknown ones (schemas are strict, so
 * `org_id`, `role` or `scope` cannot be smuggled into a body).
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  where: 'body' | 'query' | 'path' = 'body',
): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldIssue[] = result.error.issues.flatMap((issue) => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: at ? `${at}.${key}` : key,
        message: 'unknown field',
      }));
    }
    return [{ field: at || '(root)', message: issue.message }];
  });
  throw new AppError('validation_failed', `The request ${where} is invalid.`, {
    status: 400,
    fields,
  });
}
