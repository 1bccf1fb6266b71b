import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseSamlTime } from '../../src/federation/saml/saml-time.js';

describe('SAML time values (SAML core §1.3.3: xs:dateTime, UTC)', () => {
  const tz = process.env.TZ;
  after(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('when a time has no zone designator, then it is UTC whatever the server time zone', () => {
    process.env.TZ = 'America/New_York';
    const utc = Date.UTC(2030, 0, 1, 12, 0, 0);
    assert.notEqual(Date.parse('2030-01-01T12:00:00'), utc, 'Date.parse alone reads local time');
    assert.equal(parseSamlTime('2030-01-01T12:00:00'), utc);
    assert.equal(parseSamlTime('2030-01-01T12:00:00Z'), utc);
    assert.equal(parseSamlTime('2030-01-01T12:00:00.250Z'), utc + 250);
    assert.equal(parseSamlTime('2030-01-01T14:00:00+02:00'), utc);
  });

  it('when a value is not an xs:dateTime, then it is null (the caller refuses the message)', () => {
    for (const value of [
      '',
      'tomorrow',
      'Tue, 01 Jan 2030 12:00:00 GMT',
      '2030-01-01',
      '1893456000',
      '2030-13-01T00:00:00Z',
    ]) {
      assert.equal(parseSamlTime(value), null, value);
    }
  });
});
