# syntax=docker/dockerfile:1
# The TraceLab operator: `tracelab operator` watching the TraceLabs of its namespace.
# Build from the repository root:
#   docker build -f infra/cluster/operator.Dockerfile -t tracelab/operator:0.1.0 .
# Node 24 runs the TypeScript sources directly (type stripping): no compile step.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tracelab.yaml ./
COPY contracts ./contracts
COPY charts ./charts
COPY infra ./infra
COPY k6 ./k6
COPY scripts ./scripts
# The node image's unprivileged user (uid 1000); the operator chart runs it with a read-only root.
USER 1000:1000
ENTRYPOINT ["node", "scripts/tracelab.ts"]
CMD ["operator"]
