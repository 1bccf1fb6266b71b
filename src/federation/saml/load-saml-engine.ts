import type * as SamlEngineModule from './saml-engine.js';

/** The SAML checks that run on libxml2 (saml-engine.ts), once loaded. */
export type SamlEngine = typeof SamlEngineModule;

let loading: Promise<SamlEngine> | undefined;

/**
 * Loads the libxml2-backed SAML checks once per process and makes their schema validator
 * samlify's own (samlify refuses to parse without one). The service provider awaits it
 * before each SAML operation; `main` calls it once listening, so a served process has it
 * ready before the first SAML sign-in, while a process that never sees SAML (a CLI
 * command, most test files) never pays for it. A failed load is tried again next time.
 */
export function loadSamlEngine(): Promise<SamlEngine> {
  loading ??= import('./saml-engine.js').then(
    (engine) => {
      engine.installSamlSchemaValidator();
      return engine;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
