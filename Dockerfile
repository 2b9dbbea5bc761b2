# syntax=docker/dockerfile:1
# SpecMint licence server image: `docker build -t specmint-server .`
# Runs `specmint-server start` as the unprivileged `node` user on port 8787. Production needs
# DATABASE_URL, BETTER_AUTH_SECRET and SPECMINT_SIGNING_KEY (see docs/self-hosting.md); without
# DATABASE_URL it keeps an embedded PGlite database under /data (mount a volume there).

ARG NODE_IMAGE=node:20-bookworm-slim

# npm 11, the npm that wrote package-lock.json (the image ships npm 10).
FROM ${NODE_IMAGE} AS base
WORKDIR /app
RUN npm install --global npm@11 --no-audit --no-fund

# 1. deps: the production dependencies, exactly as locked. Dev dependencies are omitted rather than installed
#    and pruned later: they are ~1 GB (benchmark corpora, test runners) and only esbuild is needed to build.
#    --ignore-scripts: no production dependency has an install script, and `prepare` needs the sources.
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# 2. build: esbuild at the lockfile's version, beside the app, then `npm run build` bundles dist/.
FROM deps AS build
RUN version="$(node -p "require('./package-lock.json').packages['node_modules/esbuild'].version")" \
 && npm install --prefix /opt/build-tools --no-audit --no-fund "esbuild@${version}" \
 && ln -s /opt/build-tools/node_modules/esbuild node_modules/esbuild
COPY . .
RUN npm run build

# 3. runtime: only what runs (the same paths as the npm package's `files`) plus production node_modules.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    SPECMINT_DATA_DIR=/data
WORKDIR /app
RUN mkdir -p /data && chown node:node /data
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/server/db/migrations ./server/db/migrations
COPY --from=build --chown=node:node /app/cli/config/specmint.config.schema.json ./cli/config/specmint.config.schema.json
USER node
VOLUME ["/data"]
EXPOSE 8787
# No curl in the slim image: Node's fetch checks the process answers (readiness, /readyz, is the platform's).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "bin/specmint-server", "start"]
