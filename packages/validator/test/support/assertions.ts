import assert from 'node:assert/strict';
import { TokenValidationError, type ValidationErrorCode } from '../../src/index.js';

/** The promise rejects with a TokenValidationError of exactly this code. */
export const assertRejectsWith = (promise: Promise<unknown>, code: ValidationErrorCode) =>
  assert.rejects(promise, (e: unknown) => e instanceof TokenValidationError && e.code === code);
