import type { RequestHandler } from 'express';
import { uuidv7 } from '../platform/ids.js';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

/** The id of a request: the one a trusted front proxy sent when it looks like one, else new. */
export const assignRequestId = (incoming: string | string[] | undefined): string =>
  typeof incoming === 'string' && ACCEPTABLE.test(incoming) ? incoming : uuidv7();

/**
 * Every request gets an id, echoed in `X-Request-Id`, stamped on every log line and shown
 * on error pages as the correlation id. An id from a trusted front proxy is kept when it
 * looks like one; anything else is replaced (it ends up in logs).
 */
export const requestId: RequestHandler = (req, res, next) => {
  const id = assignRequestId(req.headers['x-request-id']);
  res.locals.requestId = id;
  res.set('X-Request-Id', id);
  next();
};
