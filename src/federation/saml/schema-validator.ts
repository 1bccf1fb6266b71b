import {
  ParseOption,
  XmlBufferInputProvider,
  XmlDocument,
  xmlRegisterInputProvider,
  XsdValidator,
} from 'libxml2-wasm';
import samlify from 'samlify';
import { SAML_PROTOCOL_SCHEMA, SAML_SCHEMAS } from './schemas/index.js';

/**
 * The SAML schema check: every message against the SAML 2.0 protocol schema (which
 * imports the assertion, xmldsig and xenc schemas, vendored in ./schemas), with libxml2
 * compiled to WebAssembly (libxml2-wasm).
 *
 * The schemas are compiled once per process; each message is then parsed into a libxml2
 * document, validated against the compiled schema and freed again, so wasm memory stays
 * bounded by the largest message (the ACS refuses more than 256 KB before this). The
 * previous validator (@authenio/samlify-node-xmllint, xmllint compiled to asm.js)
 * re-parsed all four schemas on every call, about 19 ms per message, and ended each call
 * with emscripten's `exit()`, which hooked process.stdout's 'drain' to process.exit
 * (../shared/DEPENDENCY-NOTES.md). libxml2-wasm does neither: errors are collected into
 * the exception it throws, nothing is written to the console and no process listener is
 * added (test/federation/saml-schema-validator.test.ts shows it).
 *
 * What the message may reach: its parser has no network (NONET) and no external entities
 * or DTD (NO_XXE; the ACS also refuses any DOCTYPE before this check), and the only input
 * libxml2 can open is one of the four schema texts under the private scheme below, which
 * only the schema's own xs:import names. A message's xsi:schemaLocation is ignored: libxml2
 * reads such hints only when validating without a schema.
 */

const SCHEMA_BASE = 'latchkey-saml-schema:///';
const NO_EXTERNAL_INPUT = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

let compiled: XsdValidator | null = null;
let schemasServed = false;

/** The SAML protocol schema with its imports, compiled on first use and kept. */
function samlSchema(): XsdValidator {
  if (compiled) return compiled;
  const encoder = new TextEncoder();
  // Registered once: libxml2 keeps every provider for the life of the process.
  if (!schemasServed)
    schemasServed = xmlRegisterInputProvider(
      new XmlBufferInputProvider(
        Object.fromEntries(
          Object.entries(SAML_SCHEMAS).map(([name, text]) => [
            `${SCHEMA_BASE}${name}`,
            encoder.encode(text),
          ]),
        ),
      ),
    );
  // The schema document stays alive with the compiled schema, which points into it.
  const document = XmlDocument.fromString(SAML_SCHEMAS[SAML_PROTOCOL_SCHEMA]!, {
    url: `${SCHEMA_BASE}${SAML_PROTOCOL_SCHEMA}`,
    option: NO_EXTERNAL_INPUT,
  });
  try {
    compiled = XsdValidator.fromDoc(document);
  } catch (error) {
    document.dispose();
    throw error;
  }
  return compiled;
}

/** Whether the XML is well-formed and valid against the SAML 2.0 protocol schema. */
export function isSchemaValid(xml: string): boolean {
  samlSchema();
  let document: XmlDocument;
  try {
    document = XmlDocument.fromString(xml, { option: NO_EXTERNAL_INPUT });
  } catch {
    // Not well-formed: refused like an invalid one.
    return false;
  }
  try {
    return isSchemaValidDocument(document);
  } finally {
    document.dispose();
  }
}

/**
 * Whether a document the caller parsed (and still owns) is valid against the SAML 2.0
 * protocol schema: the ACS and the logout checks validate the very tree they then verify.
 */
export function isSchemaValidDocument(document: XmlDocument): boolean {
  try {
    samlSchema().validate(document);
    return true;
  } catch {
    // Invalid, or libxml2 failing: refused all the same.
    return false;
  }
}

/** isSchemaValid, for the callers that await it (the checks are async functions). */
export function validateSamlSchema(xml: string): Promise<boolean> {
  return Promise.resolve(isSchemaValid(xml));
}

/**
 * Makes this validator samlify's own (samlify refuses to parse without one), and compiles
 * the schema now rather than on the first message.
 */
export function installSamlSchemaValidator(): void {
  samlSchema();
  samlify.setSchemaValidator({
    validate: (xml: string) =>
      isSchemaValid(xml)
        ? Promise.resolve('SUCCESS_VALIDATE_XML')
        : Promise.reject(new Error('ERR_INVALID_XML')),
  });
}
