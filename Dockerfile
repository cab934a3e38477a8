# syntax=docker/dockerfile:1
# labelmux: one label server, five vendors' label APIs, embedded SQLite in /data.
#   docker build -t labelmux .
#   docker run -d --name labelmux -p 8080:8080 -v labelmux-data:/data labelmux
# test/ops-dockerfile-steps.test.ts performs these same steps without a Docker engine and checks the key
# lines below, so keep the two in step.

# Node 24 is the current LTS line (supported: 20.19+, 22.13+, 24; .ci/run tests each). Debian 12 (bookworm) as on the
# CI machine, so the image's glibc and toolchain are the ones better-sqlite3 is compiled and tested with there.

# ---- build: compile better-sqlite3 and the TypeScript sources, then drop the dev dependencies ----
FROM node:24-bookworm-slim AS build
# better-sqlite3 falls back to compiling from source (node-gyp) when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY bin ./bin
# The console (docs/console.md): built by vite into dist/console, which the runtime stage copies with dist.
COPY console ./console
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies, compiled JavaScript, migrations, CLI; non-root ----
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    LABELMUX_DB=/data/labelmux.db
WORKDIR /app
# Files stay owned by root (read-only for the server); only /data is writable by the `node` user.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time: dist/db/sqlite/open.js applies ../../../migrations/sqlite on every start.
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/bin ./bin
COPY --from=build /app/package.json ./package.json
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# No curl in the slim image: Node's own fetch asks the liveness route.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (close-with-grace): in-flight requests finish, the WAL is checkpointed.
CMD ["node", "dist/server.js"]
