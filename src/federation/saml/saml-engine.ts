/**
 * The SAML checks that run on libxml2 (libxml2-wasm: loading its WebAssembly costs about
 * 1.5 s of CPU), imported only through load-saml-engine.ts: a process loads them at its
 * first SAML message, not when it starts.
 */
export { runAcsChecks } from './acs-checks.js';
export { checkLogoutMessage } from './logout-messages.js';
export { installSamlSchemaValidator, validateSamlSchema } from './schema-validator.js';
