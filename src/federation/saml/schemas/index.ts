import { samlAssertionSchema } from './saml-schema-assertion-2.0.js';
import { samlProtocolSchema } from './saml-schema-protocol-2.0.js';
import { xencSchema } from './xenc-schema.js';
import { xmldsigCoreSchema } from './xmldsig-core-schema.js';

/** The schema compiled: SAML 2.0 protocol, which imports the others. */
export const SAML_PROTOCOL_SCHEMA = 'saml-schema-protocol-2.0.xsd';

/** Each vendored schema by the name its importers give in xs:import/@schemaLocation. */
export const SAML_SCHEMAS: Readonly<Record<string, string>> = {
  [SAML_PROTOCOL_SCHEMA]: samlProtocolSchema,
  'saml-schema-assertion-2.0.xsd': samlAssertionSchema,
  'xmldsig-core-schema.xsd': xmldsigCoreSchema,
  'xenc-schema.xsd': xencSchema,
};
