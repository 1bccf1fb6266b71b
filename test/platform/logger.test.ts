import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/platform/logger.js';

describe('log lines', () => {
  const capture = () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, logger: createLogger({ level: 'info', destination }) };
  };

  it('when an error carries the driver client (pg does on an idle connection), then the line has the error without the client', () => {
    const { lines, logger } = capture();
    const error = Object.assign(new Error('terminating connection'), {
      client: { connectionParameters: { user: 'latchkey', host: 'db' }, parsedStatements: {} },
      connection: { stream: {} },
    });
    logger.warn({ err: error }, 'idle postgres connection failed');
    const err = lines[0]!.err as Record<string, unknown>;
    assert.equal(err.message, 'terminating connection');
    assert.equal(err.client, undefined);
    assert.equal(err.connection, undefined);
  });

  it('when an error has a code naming a kind of failure, then the line keeps it as error_code; a random code stays redacted', () => {
    const { lines, logger } = capture();
    for (const code of [
      '57P01',
      'ECONNREFUSED',
      'invalid_grant',
      'Xy7_q2Lw9mZk4TfA1bC8dE0gH3jK5nP6rS',
    ]) {
      logger.warn({ err: Object.assign(new Error('failed'), { code }) }, 'x');
    }
    const errs = lines.map((line) => line.err as Record<string, unknown>);
    assert.deepEqual(
      errs.map((err) => err.error_code),
      ['57P01', 'ECONNREFUSED', 'invalid_grant', undefined],
    );
    for (const err of errs) assert.equal(err.code, '[redacted]');
  });

  it('when a secret-named field is logged, then its value is redacted', () => {
    const { lines, logger } = capture();
    logger.info({ client_secret: 's3cr3t', nested: { refresh_token: 'rt2_x' } }, 'x');
    assert.equal(lines[0]!.client_secret, '[redacted]');
    assert.equal((lines[0]!.nested as Record<string, unknown>).refresh_token, '[redacted]');
  });
});
