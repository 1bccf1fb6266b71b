import { validate as xmllintValidate } from '@authenio/samlify-node-xmllint';
import samlify from 'samlify';

/**
 * samlify's schema validator (@authenio/samlify-node-xmllint: libxml2's xmllint compiled
 * to JavaScript, checking a message against the SAML 2.0 protocol, assertion, xmldsig and
 * xenc schemas), contained.
 *
 * Every call of the compiled xmllint ends its run with emscripten's `exit()`, which
 * registers `process.stdout.once('drain', () => process.exit(status))`, writes a line to
 * stdout, and adds one more `process.on('uncaughtException')` listener that rethrows.
 * In a server that logs to a piped stdout, the next burst of log output fills the pipe,
 * 'drain' fires, and the process exits (../shared/DEPENDENCY-NOTES.md). The validation
 * itself is synchronous (it runs inside the Promise executor), so for exactly the length
 * of that call this module takes the hooks away from it: listeners it adds to
 * `uncaughtException` and stdout's `drain` are removed again, and what it writes to the
 * console (a blank line, and the attacker-controlled XML errors) is dropped. Nothing else
 * can run during a synchronous call, so nothing else is affected.
 */
export async function validateSamlSchema(xml: string): Promise<boolean> {
  try {
    await contained(() => xmllintValidate(xml));
    return true;
  } catch {
    return false;
  }
}

/** Runs fn (synchronous) with the process and console hooks held off, then restores them. */
function contained<T>(fn: () => T): T {
  const uncaughtBefore = new Set(process.listeners('uncaughtException'));
  const drainBefore = new Set(process.stdout.listeners('drain'));
  // Writes are stubbed as own properties and the originals put back exactly as they were
  // (usually inherited from Writable.prototype), so nothing else sees a difference.
  const streams = [process.stdout, process.stderr];
  const own = streams.map((stream) => Object.getOwnPropertyDescriptor(stream, 'write'));
  for (const stream of streams) {
    Object.defineProperty(stream, 'write', {
      value: () => true,
      configurable: true,
      writable: true,
    });
  }
  try {
    return withoutConsole(fn);
  } finally {
    streams.forEach((stream, i) => {
      const descriptor = own[i];
      if (descriptor) Object.defineProperty(stream, 'write', descriptor);
      else delete (stream as { write?: unknown }).write;
    });
    for (const listener of process.listeners('uncaughtException')) {
      if (!uncaughtBefore.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.stdout.listeners('drain')) {
      if (!drainBefore.has(listener))
        process.stdout.removeListener('drain', listener as () => void);
    }
  }
}

/** Library chatter (samlify's console.warn on entity construction) kept out of the logs. */
export function withoutConsole<T>(fn: () => T): T {
  const quiet = { log: console.log, error: console.error, warn: console.warn };
  console.log = console.error = console.warn = () => undefined;
  try {
    return fn();
  } finally {
    console.log = quiet.log;
    console.error = quiet.error;
    console.warn = quiet.warn;
  }
}

/**
 * Makes the contained validator samlify's own (samlify refuses to parse without one), so
 * no samlify flow in this process ever runs the raw xmllint.
 */
export function installSamlSchemaValidator(): void {
  samlify.setSchemaValidator({
    validate: async (xml: string) => {
      if (!(await validateSamlSchema(xml))) throw new Error('ERR_INVALID_XML');
      return 'SUCCESS_VALIDATE_XML';
    },
  });
}
