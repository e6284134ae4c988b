# mlcost GitHub App: compiled JavaScript on Node 20, run by Probot as a non-root user.
#   docker build -t mlcost .
#   docker run -p 3000:3000 -e APP_ID=... -e PRIVATE_KEY="$(cat app.pem)" -e WEBHOOK_SECRET=... mlcost
# The same image runs the queue workers (REDIS_URL set on both; see docker-compose.yml):
#   docker run -e REDIS_URL=... -e APP_ID=... -e PRIVATE_KEY=... mlcost node dist/cli/main.js worker

# ---- build: all dependencies, TypeScript -> dist/
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY templates ./templates
RUN npm run build

# ---- runtime: production dependencies, the build, templates and the price snapshot
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY templates ./templates
COPY src/pricing/catalog/snapshot.json ./src/pricing/catalog/snapshot.json
COPY app.yml ./
USER node
EXPOSE 3000
# The webhook server and the workers both answer GET /healthz. The slim image has no curl: Node's fetch does the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node as PID 1's only child-free process: SIGTERM stops it directly (no npm in between).
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./dist/app/probot.js"]
