# syntax=docker/dockerfile:1

# ---- build: full install (TypeScript is a devDependency), compile to dist/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall patches ioredis's Pipeline (scripts/patch-ioredis.mjs says why).
COPY scripts/patch-ioredis.mjs ./scripts/
RUN npm ci
# tsconfig.build.json extends tsconfig.json; rootDir "." is why output lands in dist/src/.
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production deps + compiled output only ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/patch-ioredis.mjs ./scripts/
RUN npm ci --omit=dev && npm cache clean --force
# `npm run cli -- …` runs dist/src/cli.js here (no tsx in the image): keys, saml-keys,
# apikeys, db migrate, audit verify.
COPY scripts/cli.mjs ./scripts/
# Config YAML is resolved relative to the compiled module (dist/src/platform/config
# -> ../../../config), i.e. /app/config.
COPY config ./config
COPY --from=build /app/dist ./dist
# keys.dir defaults to ./keys (/app/keys); production keys are mounted over it.
RUN mkdir -p keys && chown node:node keys
# Code and deps stay root-owned, so the app cannot modify them.
USER node
# The management listener (/metrics, /slo) must be reachable from outside the container
# to be scraped: every interface of the container, on 9464. Publish only the public port
# (3000); reach 9464 from the container network (docker-compose.yml, a Kubernetes
# pod port that no Service outside the cluster exposes).
ENV LATCHKEY_MANAGEMENT_HOST=0.0.0.0
EXPOSE 3000 9464
# Liveness only (no curl in slim images; Node 20 has a global fetch).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node receives SIGTERM itself (no npm/sh wrapper swallowing it).
CMD ["node", "dist/src/main.js"]
