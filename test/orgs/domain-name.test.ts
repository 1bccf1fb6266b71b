import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseDomain } from '../../src/orgs/index.js';

const accepted = (input: string) => {
  const result = normaliseDomain(input);
  assert.ok(result.ok, `${JSON.stringify(input)} should be accepted: ${JSON.stringify(result)}`);
  return result.domain;
};
const refused = (input: string) => {
  const result = normaliseDomain(input);
  assert.equal(result.ok, false, `${JSON.stringify(input)} should be refused`);
  return result.ok ? '' : result.reason;
};

describe('domain name normalisation', () => {
  it('when a name has spaces, capitals or one trailing dot, then it is trimmed, lower-cased and the dot dropped', () => {
    assert.equal(accepted('  Example.COM. '), 'example.com');
    assert.equal(accepted('sub.Example.co.uk'), 'sub.example.co.uk');
    assert.equal(accepted('1e100.net'), '1e100.net');
    assert.equal(accepted('ab--cd.example'), 'ab--cd.example');
  });

  it('when a name is internationalised, then it is stored as punycode, whatever its form', () => {
    assert.equal(accepted('bücher.example'), 'xn--bcher-kva.example');
    assert.equal(accepted('BÜCHER.example.'), 'xn--bcher-kva.example');
    assert.equal(accepted('XN--BCHER-KVA.example'), 'xn--bcher-kva.example');
    assert.equal(accepted('例え.テスト'), 'xn--r8jz45g.xn--zckzah');
    // UTS 46: full-width letters and ideographic full stops are the same name.
    assert.equal(accepted('ｅｘａｍｐｌｅ。com'), 'example.com');
  });

  it('when a name is a wildcard, then it is refused', () => {
    for (const input of ['*.example.com', '*', 'a*.example.com', 'ex＊.com']) {
      assert.match(refused(input), /wildcard/, input);
    }
  });

  it('when a name is an IP address in any notation, then it is refused', () => {
    for (const input of ['192.0.2.1', '0x7f.1', '127.1', '[::1]', '::1', '2001:db8::1', 'a.123']) {
      assert.match(refused(input), /IP address/, input);
    }
  });

  it('when a name has a single label or is localhost, then it is refused', () => {
    for (const input of ['com', 'intranet', 'bücher', 'localhost', 'LOCALHOST.', 'app.localhost']) {
      refused(input);
    }
  });

  it('when a label is longer than 63 characters or the name longer than 253, then it is refused', () => {
    assert.equal(accepted(`${'a'.repeat(63)}.example`), `${'a'.repeat(63)}.example`);
    refused(`${'a'.repeat(64)}.example`);
    const longest = `${'a'.repeat(63)}.`.repeat(3) + 'b'.repeat(61); // 253 characters
    assert.equal(accepted(longest), longest);
    refused(`${longest}b`);
  });

  it('when a name has characters outside letters, digits and hyphens, then it is refused rather than cut', () => {
    // domainToASCII alone would turn "a/b.com" into "a" and "ex%41mple.com" into "example.com".
    for (const input of [
      'a/b.com',
      'a／b.com',
      'evil.example/x.victim.example',
      'ex%41mple.com',
      'user@example.com',
      'exa mple.com',
      'a_b.example',
      'example.com:443',
      'a\u200db.example',
      'xn--zz.example',
    ]) {
      refused(input);
    }
  });

  it('when a label starts or ends with a hyphen or is empty, then it is refused', () => {
    for (const input of [
      '-a.example',
      'a-.example',
      'a..example',
      '.example',
      'example.com..',
      '',
      '  ',
      '.',
    ]) {
      refused(input);
    }
  });
});
