import express, { type RequestHandler } from 'express';

/**
 * The body parser of the browser pages' own forms (login, account): URL-encoded only, at
 * most the configured body size and a handful of fields.
 */
export function pageForm(bodyLimitBytes: number): RequestHandler {
  return express.urlencoded({ extended: false, limit: bodyLimitBytes, parameterLimit: 20 });
}
