# The worker, the fsfo CLI, the webhook endpoint and the D365 sandboxes in one image: built JavaScript on Node 24
# LTS (glibc: the Temporal SDK's native core does not support Alpine). CI runs the product on the same Node major
# (scripts/node-release.ts); test/runtime/dockerfile.test.ts keeps the two equal.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
ENV WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The sandboxes keep their state in FSFO_DATA_DIR; the compose volume mounted there takes this owner.
ENV FSFO_DATA_DIR=/app/.data
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
# The worker's Node flags (worker/node-flags.ts) bound its main thread's heap.
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=4", "dist/worker/main.js"]
