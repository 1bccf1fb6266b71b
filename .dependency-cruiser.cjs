// The blueprint's rules of the house (../shared/ARCHITECTURE.md), enforced on every CI run.
const DOMAINS = [
  'orgs',
  'connections',
  'directories',
  'federation',
  'sessions',
  'tokens',
  'signals',
  'audit',
  'metrics',
  'portal',
];
// Which domains each domain may use (always through the other domain's index.ts).
const ALLOWED = {
  federation: ['sessions', 'tokens', 'orgs', 'connections', 'audit', 'metrics'],
  directories: ['sessions', 'orgs', 'connections', 'audit', 'metrics'],
  sessions: ['signals', 'audit', 'metrics'],
  tokens: ['audit', 'metrics'],
  orgs: ['audit', 'metrics'],
  connections: ['audit', 'metrics'],
  signals: [],
  audit: [],
  metrics: [],
  // The setup portal's links and sessions; its pages (http/pages) call the orgs' services.
  portal: ['audit'],
};

const forbidden = [
  {
    name: 'tokens-grants-import-only-tokens-and-platform',
    severity: 'error',
    comment:
      'A grant (src/tokens/grants/) uses only tokens/ internals and platform/: adding one is one file and one registry line.',
    from: { path: '^src/tokens/grants/' },
    to: { path: '^src/', pathNot: ['^src/tokens/', '^src/platform/'] },
  },
  {
    name: 'no-circular',
    severity: 'error',
    comment: 'Domains never import each other in a circle.',
    from: {},
    to: { circular: true },
  },
  {
    name: 'platform-imports-only-packages',
    severity: 'error',
    comment: 'Rule 1: platform/ imports only packages (and itself).',
    from: { path: '^src/platform/' },
    to: { path: '^src/', pathNot: '^src/platform/' },
  },
  {
    name: 'composition-root-has-no-sql',
    severity: 'error',
    comment:
      "app.ts, src/composition/ and src/wiring.ts pick adapters and wire, they hold no SQL: from platform/db they import types, the two database factories, migrate and the table maintenance job, nothing else (queries live in the domains' stores). ESLint refuses a .query() call in them.",
    from: { path: '^src/(app\\.ts$|wiring\\.ts$|composition/)' },
    to: {
      path: ['^src/platform/db/', 'node_modules/(pg|pg-[a-z-]+|@electric-sql/pglite)/'],
      pathNot: '^src/platform/db/(postgres|pglite|migrate|table-maintenance)\\.ts$',
      dependencyTypesNot: ['type-only'],
    },
  },
  {
    name: 'express-only-in-http-and-routes',
    severity: 'error',
    comment: 'Rule 3: only http/ and *.routes.ts import express.',
    from: {
      path: '^src/',
      pathNot: ['^src/http/', '\\.routes\\.ts$', '^src/demo/'],
    },
    to: { path: 'node_modules/express/' },
  },
  ...[
    ['openid-client', '^src/federation/oidc/'],
    ['samlify', '^src/federation/saml/'],
    ['libxml2-wasm', '^src/federation/saml/'],
    ['scimmy', '^src/directories/scim/'],
    ['scim2-parse-filter', '^src/directories/scim/'],
    ['jose', '^src/tokens/'],
    ['ioredis', '^src/platform/redis/'],
    ['argon2', '^src/platform/crypto/'],
    ['rate-limiter-flexible', '^src/platform/rate-limit/'],
    ['bowser', '^src/http/views/'],
    ['busboy', '^src/http/pages/multipart-form\\.ts$'],
    ['pg', '^src/platform/db/'],
    ['@electric-sql/pglite', '^src/platform/db/'],
  ].map(([pkg, home]) => ({
    name: `one-home-for-${pkg.replace(/[^a-z]/g, '')}`,
    severity: 'error',
    comment: `Rule 4: ${pkg} is imported only under ${home}.`,
    from: { path: '^src/', pathNot: [home, '^src/demo/'] },
    to: { path: `node_modules/${pkg}/` },
  })),
  {
    name: 'one-home-for-oidcprovider',
    severity: 'error',
    comment:
      'oidc-provider (the development IdP) is imported only by src/demo/oidc-idp.ts, lazily: a production process never loads it.',
    from: { path: '^src/', pathNot: '^src/demo/oidc-idp\\.ts$' },
    to: { path: 'node_modules/(@types/)?oidc-provider/' },
  },
  ...DOMAINS.map((domain) => ({
    name: `${domain}-uses-only-allowed-domains`,
    severity: 'error',
    comment: `Rule 2: ${domain}/ may use only ${ALLOWED[domain].join(', ') || 'platform/'}.`,
    from: { path: `^src/${domain}/` },
    to: {
      path: `^src/(${DOMAINS.filter((d) => d !== domain && !ALLOWED[domain].includes(d)).join('|')}|http)/`,
    },
  })),
  ...DOMAINS.map((domain) => ({
    name: `${domain}-through-its-index`,
    severity: 'error',
    comment: `Rule 2: other code reaches ${domain}/ only through ${domain}/index.ts.`,
    from: { path: '^src/', pathNot: `^src/${domain}/` },
    to: { path: `^src/${domain}/`, pathNot: `^src/${domain}/index\\.ts$` },
  })),
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
