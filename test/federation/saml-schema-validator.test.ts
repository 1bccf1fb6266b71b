import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateSamlSchema } from '../../src/federation/saml/schema-validator.js';

const CHILD = fileURLToPath(new URL('../fixtures/saml/validate-then-flood.ts', import.meta.url));
const FLOOD_BYTES = 8 * 1024 * 1024;

/** Runs the child with stdout and stderr piped to this process; resolves when it has exited. */
function flood(
  mode: 'contained' | 'raw',
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], {
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

describe('the SAML schema validator (xmllint), contained', () => {
  it('when a message has been validated and 8 MB are then written to a piped stdout, then the process lives on and writes everything', async () => {
    const { stdout, stderr, code } = await flood('contained');
    assert.match(stderr, /valid=true queued=true/, 'the write was queued, so stdout emitted drain');
    assert.equal(code, 0);
    assert.equal(stdout, `${'x'.repeat(FLOOD_BYTES)}ALIVE ${FLOOD_BYTES}\n`);
  });

  it('when the uncontained validator is used the same way, then the process exits early (the hazard this guards against)', async () => {
    const { stdout, stderr, code } = await flood('raw');
    assert.match(stderr, /valid=true queued=true/);
    // It exits with status 0: a supervisor (or `node --test`) sees a clean exit.
    assert.equal(code, 0);
    assert.equal(stdout.includes('ALIVE'), false);
  });

  it('when a message is validated in this process, then no uncaughtException or drain listener is left behind', async () => {
    const uncaught = process.listenerCount('uncaughtException');
    const drain = process.stdout.listenerCount('drain');
    const valid = await validateSamlSchema(
      '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>',
    );
    assert.equal(valid, true);
    assert.equal(process.listenerCount('uncaughtException'), uncaught);
    assert.equal(process.stdout.listenerCount('drain'), drain);
  });

  it('when a message breaks the SAML schema, then it is invalid (and the hooks are restored all the same)', async () => {
    const uncaught = process.listenerCount('uncaughtException');
    assert.equal(
      await validateSamlSchema(
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:Nonsense/></samlp:Response>',
      ),
      false,
    );
    assert.equal(await validateSamlSchema('not xml at all <'), false);
    assert.equal(process.listenerCount('uncaughtException'), uncaught);
  });
});
