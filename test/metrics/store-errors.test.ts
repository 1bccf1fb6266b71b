import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresErrorType } from '../../src/metrics/index.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('the error_type of a failed PostgreSQL operation', () => {
  it('when the SQLSTATE says so, then it is a lost connection, a timeout, a constraint, a rolled-back transaction, exhausted resources or a query error', () => {
    assert.equal(postgresErrorType(withCode('08006'), true), 'connection');
    assert.equal(postgresErrorType(withCode('57P01'), true), 'connection');
    assert.equal(postgresErrorType(withCode('57014'), true), 'timeout');
    assert.equal(postgresErrorType(withCode('23505'), true), 'constraint');
    assert.equal(postgresErrorType(withCode('40001'), false), 'transaction');
    assert.equal(postgresErrorType(withCode('53300'), true), 'resources');
    assert.equal(postgresErrorType(withCode('42P01'), true), 'query');
  });

  it('when the driver could not reach the server, then it is a lost connection', () => {
    assert.equal(postgresErrorType(withCode('ECONNREFUSED'), false), 'connection');
    assert.equal(
      postgresErrorType(new Error('timeout exceeded when trying to connect'), false),
      'connection',
    );
    assert.equal(postgresErrorType(new Error('anything at all'), true), 'connection');
  });

  it("when a transaction fails with the caller's own error, then it is not the database's", () => {
    assert.equal(postgresErrorType(new TypeError('x is undefined'), false), null);
    assert.equal(postgresErrorType(withCode('invalid_request'), false), null);
  });
});
