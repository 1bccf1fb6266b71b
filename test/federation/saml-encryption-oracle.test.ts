import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';
import { assertionOf, decode, encode } from '../support/saml-xml.js';

/**
 * An attacker who holds someone's EncryptedAssertion (AES-CBC, as most IdPs still send)
 * must learn nothing about its clear text by posting altered copies to the ACS (Jager and
 * Somorovsky, "How to Break XML Encryption", CCS 2011; XML Encryption 1.1 §6.1): every
 * altered ciphertext is refused with the same reason, whether its CBC padding broke, its
 * clear text stopped being XML, or it still parsed and only the signature no longer holds.
 */
describe('the SAML ACS gives no decryption oracle', () => {
  let f: SamlFixture;
  before(async () => {
    f = await startSamlFixture();
  });
  after(async () => {
    await f.close();
  });

  /** The CipherValue of the EncryptedData (the longest: the EncryptedKey's is 256 bytes). */
  const cipherValueOf = (xml: string) => {
    const all = [...xml.matchAll(/<(\w+:)?CipherValue>([^<]*)<\/(\w+:)?CipherValue>/g)].map(
      (m) => m[2]!,
    );
    return all.sort((a, b) => b.length - a.length)[0]!;
  };

  /** Flips bits of the ciphertext (IV first, then the blocks). */
  const alter = (xml: string, flip: (bytes: Buffer) => void) => {
    const value = cipherValueOf(xml);
    const bytes = Buffer.from(value, 'base64');
    flip(bytes);
    return xml.replace(value, bytes.toString('base64'));
  };

  const reasonOf = async (res: Response) => {
    const page = await res.text();
    return /Reason<\/dt>\s*<dd><code>([^<]*)/.exec(page)?.[1] ?? `status ${res.status}`;
  };

  it('when altered copies of an encrypted assertion (unsigned response, AES-CBC) are posted, then each is refused with one and the same reason', async () => {
    const alterations: Array<[string, (b: Buffer) => void]> = [
      // The last clear byte (the padding length) becomes > 16: the padding breaks.
      ['padding broken', (b) => void (b[b.length - 17]! ^= 0x80)],
      // The first clear byte '<' becomes '=': the clear text is no longer XML.
      ['clear text not XML', (b) => void (b[0]! ^= 0x01)],
      // 'Assertion' → 'Arsertion': mismatched tags.
      ['element renamed', (b) => void (b[7]! ^= 0x01)],
      // A block in the middle turns to noise; the next one has one bit flipped.
      ['a middle block garbled', (b) => void (b[16 * 20]! ^= 0x01)],
      ['a late block garbled', (b) => void (b[b.length - 64]! ^= 0x01)],
    ];
    const reasons = new Map<string, string>();
    for (const [what, flip] of alterations) {
      const login = await f.startLogin('mallory@globex.test');
      const xml = decode(
        await f.globex.idp.respond(f.globex.sp, {
          nameId: 'mallory@globex.test',
          inResponseTo: login.requestId,
          encrypt: true,
          sign: { response: false, assertion: true },
        }),
      );
      const res = await f.postToAcs(f.globex, encode(alter(xml, flip)), login.relayState);
      assert.equal(res.status, 400, what);
      reasons.set(what, await reasonOf(res));
    }
    assert.equal(
      new Set(reasons.values()).size,
      1,
      `one reason for every alteration: ${JSON.stringify(Object.fromEntries(reasons))}`,
    );
  });

  const encryptedFor = async (
    options: { encryption?: { data?: string; key?: string }; signResponse?: boolean } = {},
  ) => {
    const login = await f.startLogin('mallory@globex.test');
    const xml = decode(
      await f.globex.idp.respond(f.globex.sp, {
        nameId: 'mallory@globex.test',
        inResponseTo: login.requestId,
        encrypt: true,
        sign: { response: options.signResponse ?? false, assertion: true },
        ...(options.encryption ? { encryption: options.encryption } : {}),
      }),
    );
    return { ...login, xml };
  };

  it('when the assertion is encrypted with AES-GCM, then it is decrypted and accepted', async () => {
    const { xml, relayState } = await encryptedFor({
      encryption: { data: 'http://www.w3.org/2009/xmlenc11#aes256-gcm' },
    });
    assert.equal((await f.postToAcs(f.globex, encode(xml), relayState)).status, 303);
  });

  it('when the key is transported with RSA PKCS#1 v1.5 (Bleichenbacher), then it is refused, signed response or not', async () => {
    for (const signResponse of [false, true]) {
      const { xml, relayState } = await encryptedFor({
        encryption: { key: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5' },
        signResponse,
      });
      assert.match(xml, /xmlenc#rsa-1_5/);
      await f.assertLoginFailedWith(
        await f.postToAcs(f.globex, encode(xml), relayState),
        'saml_decryption_failed',
      );
    }
  });

  it('when a clear assertion sits beside the encrypted one, then it is refused with saml_assertion_count', async () => {
    const { xml, relayState } = await encryptedFor();
    const clear = assertionOf(
      decode(
        await f.globex.idp.respond(f.globex.sp, {
          nameId: 'ceo@globex.test',
          inResponseTo: null,
        }),
      ),
    );
    const both = xml.replace(/(<\/(\w+:)?EncryptedAssertion>)/, `$1${clear}`);
    assert.notEqual(both, xml);
    await f.assertLoginFailedWith(
      await f.postToAcs(f.globex, encode(both), relayState),
      'saml_assertion_count',
    );
  });
});
