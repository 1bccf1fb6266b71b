import { AppError } from './errors.js';

/**
 * Cursor pagination over time-ordered ids (UUIDv7): a page is the `limit` rows after the
 * cursor's id. Cursors are opaque to clients (base64url of the last id) and stable under
 * inserts, unlike offsets.
 */
export interface PageRequest {
  limit: number;
  afterId: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function pageRequest(
  query: { limit?: unknown; cursor?: unknown },
  idPattern: RegExp = UUID_PATTERN,
  maxLimit: number = MAX_PAGE_SIZE,
): PageRequest {
  let limit = DEFAULT_PAGE_SIZE;
  if (query.limit !== undefined) {
    const value = Number(query.limit);
    if (
      typeof query.limit !== 'string' ||
      !/^\d+$/.test(query.limit) ||
      value < 1 ||
      value > maxLimit
    ) {
      throw new AppError('validation_failed', 'The request query is invalid.', {
        fields: [{ field: 'limit', message: `must be a whole number from 1 to ${maxLimit}` }],
      });
    }
    limit = value;
  }
  let afterId: string | null = null;
  if (query.cursor !== undefined) {
    const decoded =
      typeof query.cursor === 'string'
        ? Buffer.from(query.cursor, 'base64url').toString('utf8')
        : '';
    if (!idPattern.test(decoded)) {
      throw new AppError('validation_failed', 'The request query is invalid.', {
        fields: [{ field: 'cursor', message: 'is not a cursor from a previous page' }],
      });
    }
    afterId = decoded;
  }
  return { limit, afterId };
}

/** Given limit + 1 rows fetched, the page and the cursor to the next one. */
export function toPage<T>(rows: T[], request: PageRequest, idOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, request.limit);
  const more = rows.length > request.limit;
  return {
    items,
    nextCursor:
      more && items.length
        ? Buffer.from(idOf(items[items.length - 1]!)).toString('base64url')
        : null,
  };
}
