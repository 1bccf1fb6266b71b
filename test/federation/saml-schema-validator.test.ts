import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { diag } from 'libxml2-wasm';
import { isSchemaValid, validateSamlSchema } from '../../src/federation/saml/schema-validator.js';

const CHILD = fileURLToPath(new URL('../fixtures/saml/validate-then-flood.ts', import.meta.url));
const FLOOD_BYTES = 8 * 1024 * 1024;

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const LOGOUT_RESPONSE = `<samlp:LogoutResponse xmlns:samlp="${SAMLP}" ID="_a" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
/** A Response with the given signature (before its Status) and assertion (after it). */
const response = (parts: { signature?: string; assertion?: string } = {}) =>
  `<samlp:Response xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="_r" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.test</saml:Issuer>${parts.signature ?? ''}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${parts.assertion ?? ''}</samlp:Response>`;

/** Runs the child with stdout and stderr piped to this process; resolves when it has exited. */
function flood(): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString(), stderr, code }));
  });
}

describe('the SAML schema validator (libxml2-wasm, schemas compiled once)', () => {
  it('when messages have been validated and 8 MB are then written to a piped stdout, then the process lives on and writes everything, and nothing else', async () => {
    const { stdout, stderr, code } = await flood();
    // Only the child's own line: the validator wrote nothing to stderr (nor stdout).
    assert.equal(stderr, 'results=true,false,false queued=true\n');
    assert.equal(code, 0);
    assert.equal(stdout, `${'x'.repeat(FLOOD_BYTES)}ALIVE ${FLOOD_BYTES}\n`);
  });

  it('when a message is validated in this process, then no process or stdout listener is added and the exit code is untouched', async () => {
    const uncaught = process.listenerCount('uncaughtException');
    const drain = process.stdout.listenerCount('drain');
    const exitCode = process.exitCode;
    assert.equal(await validateSamlSchema(LOGOUT_RESPONSE), true);
    assert.equal(await validateSamlSchema('not xml at all <'), false);
    assert.equal(process.listenerCount('uncaughtException'), uncaught);
    assert.equal(process.stdout.listenerCount('drain'), drain);
    assert.equal(process.exitCode, exitCode);
  });

  it('when a message breaks the SAML schema, or is not XML, then it is invalid', () => {
    assert.equal(
      isSchemaValid(`<samlp:Response xmlns:samlp="${SAMLP}"><samlp:Nonsense/></samlp:Response>`),
      false,
    );
    assert.equal(isSchemaValid('not xml at all <'), false);
    assert.equal(isSchemaValid(''), false);
    assert.equal(isSchemaValid('<warm-up/>'), false);
    // Valid, then the same with an unknown attribute on an element that allows none.
    assert.equal(isSchemaValid(response()), true);
    assert.equal(
      isSchemaValid(response().replace('<samlp:Status>', '<samlp:Status Extra="1">')),
      false,
    );
  });

  it('when a Signature or an EncryptedAssertion breaks its own schema, then the message is invalid (xmldsig and xenc are compiled in)', () => {
    const ds = 'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
    const xenc = 'xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"';
    assert.equal(
      isSchemaValid(response({ signature: `<ds:Signature ${ds}><ds:Bogus/></ds:Signature>` })),
      false,
    );
    assert.equal(
      isSchemaValid(
        response({
          assertion: `<saml:EncryptedAssertion><xenc:EncryptedData ${xenc}><xenc:Bogus/></xenc:EncryptedData></saml:EncryptedAssertion>`,
        }),
      ),
      false,
    );
    // The same shapes, schema-valid, pass (the import resolved rather than skipped).
    assert.equal(
      isSchemaValid(
        response({
          assertion: `<saml:EncryptedAssertion><xenc:EncryptedData ${xenc}><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>`,
        }),
      ),
      true,
    );
  });

  it('when a message names a schema of its own (xsi:schemaLocation), then it is still checked against the SAML schema', () => {
    const hinted = response()
      .replace(
        '<samlp:Response ',
        '<samlp:Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:oasis:names:tc:SAML:2.0:protocol latchkey-saml-schema:///xenc-schema.xsd" ',
      )
      .replace('<samlp:Status>', '<samlp:Status Extra="1">');
    assert.equal(isSchemaValid(hinted), false);
  });

  it('when many messages are validated, then every libxml2 document is freed again', () => {
    isSchemaValid(LOGOUT_RESPONSE); // compiles the schema (kept for the process) first
    diag.configure({ enabled: true });
    try {
      for (let i = 0; i < 50; i++) {
        isSchemaValid(LOGOUT_RESPONSE);
        isSchemaValid(response().replace('<samlp:Status>', '<samlp:Status Extra="1">'));
        isSchemaValid('<unclosed>');
      }
      assert.deepEqual(diag.report(), {});
    } finally {
      diag.configure({ enabled: false });
    }
  });
});
