import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSpKeySource } from '../../src/federation/index.js';
import { buildEntities } from '../../src/federation/saml/saml-entities.js';
import { systemClock } from '../../src/platform/clock.js';
import { samlKeyPair } from '../support/saml-idp.js';

describe("Latchkey's SAML SP key pair (keys.dir)", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'latchkey-saml-keys-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('when no pair exists and generation is allowed, then an RSA key (mode 0600) and its self-signed certificate are written on first use and read back by the next process', async () => {
    const own = path.join(dir, 'generated');
    const keys = await createSpKeySource({
      dir: own,
      generateIfMissing: true,
      clock: systemClock,
    }).get();
    const key = path.join(own, 'saml-sp.key.pem');
    assert.equal((await stat(key)).mode & 0o777, 0o600);
    const certificate = new X509Certificate(await readFile(path.join(own, 'saml-sp.crt.pem')));
    assert.ok(certificate.checkPrivateKey(createPrivateKey(await readFile(key))));
    assert.equal(certificate.publicKey.asymmetricKeyType, 'rsa');
    assert.ok(Date.parse(certificate.validTo) > Date.now() + 9 * 365 * 86_400_000);
    assert.equal(keys.next, null);

    const again = await createSpKeySource({
      dir: own,
      generateIfMissing: true,
      clock: systemClock,
    }).get();
    assert.equal(again.current.privateKeyPem, keys.current.privateKeyPem);
  });

  it('when no pair exists and generation is off (production), then SAML refuses with saml_sp_key_missing', async () => {
    const source = createSpKeySource({
      dir: path.join(dir, 'empty'),
      generateIfMissing: false,
      clock: systemClock,
    });
    await assert.rejects(source.get(), { code: 'saml_sp_key_missing' });
  });

  it('when the certificate is not the key’s, then it is refused', async () => {
    const own = path.join(dir, 'mismatch');
    await createSpKeySource({ dir: own, generateIfMissing: true, clock: systemClock }).get();
    await writeFile(path.join(own, 'saml-sp.crt.pem'), samlKeyPair('other').certificatePem);
    await assert.rejects(
      createSpKeySource({ dir: own, generateIfMissing: false, clock: systemClock }).get(),
      /is not the certificate of/,
    );
  });

  it('when a next pair is mounted (a rotation), then its certificate is published in the SP metadata beside the current one', async () => {
    const own = path.join(dir, 'rotation');
    await createSpKeySource({ dir: own, generateIfMissing: true, clock: systemClock }).get();
    const next = samlKeyPair('Latchkey SAML SP (next)');
    await writeFile(path.join(own, 'saml-sp.next.key.pem'), next.privateKeyPem, { mode: 0o600 });
    await writeFile(path.join(own, 'saml-sp.next.crt.pem'), next.certificatePem);
    const keys = await createSpKeySource({
      dir: own,
      generateIfMissing: false,
      clock: systemClock,
    }).get();
    assert.ok(keys.next);
    const { sp } = buildEntities(
      {
        id: 'c',
        version: 1,
        idpEntityId: 'https://idp.test',
        idpSsoUrl: 'https://idp.test/sso',
        idpSloUrl: null,
        idpCertificates: [samlKeyPair('idp').certificatePem],
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        signRequests: true,
        wantAssertionsSigned: true,
      },
      { entityId: 'https://sp.test', acsUrl: 'https://sp.test/acs', sloUrl: 'https://sp.test/slo' },
      keys,
    );
    const published = [...sp.getMetadata().matchAll(/<ds:X509Certificate>([^<]+)</g)].map(
      (m) => m[1],
    );
    const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
    for (const certificate of [keys.current.certificatePem, next.certificatePem]) {
      // Once for signing, once for encryption.
      assert.equal(published.filter((p) => p === body(certificate)).length, 2);
    }
  });
});
