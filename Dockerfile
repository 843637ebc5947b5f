# syntax=docker/dockerfile:1
# Multi-stage build: deps → build (standalone output) → runner (non-root, only what it needs).
# Migrations are their own step: the `migrate` target runs `npm run db:migrate` as DATABASE_OWNER_URL's role,
# which also creates and grants the app role of DATABASE_URL (README, Database roles).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
COPY . .
RUN npx next build

# One-off job: docker compose run --rm migrate (or any scheduler) before starting new app versions.
FROM deps AS migrate
ENV NODE_ENV=production
COPY . .
USER node
CMD ["npm", "run", "db:migrate"]

FROM node:20-bookworm-slim AS runner
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
# standalone's server.js changes into its own folder; static assets and public are copied beside it.
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
COPY --from=build --chown=node:node /app/public ./public
# Our server around Next's request handler (not the generated server.js): it passes the socket
# address to the app, so the client IP cannot be chosen by the client (TRUST_PROXY in README).
COPY --from=build --chown=node:node /app/server.mjs ./server.mjs
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "server.mjs"]
