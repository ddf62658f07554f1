import { generateKeyPairSync, randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Audit chain keys for the test processes and the apps they start (fresh each run; ADR 005).
const auditKeys = {
  AUDIT_HMAC_KEY: randomBytes(32).toString("hex"),
  AUDIT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
};

// The #app/*, #engine/* … aliases of tsconfig.json, for Vite's resolver (every project extends this root).
const alias = [
  {
    find: /^#(app|engine|schemas|tenants|tests|scripts|bench)\//,
    replacement: `${fileURLToPath(new URL(".", import.meta.url))}$1/`,
  },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/engine/**/*.test.ts", "tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          env: auditKeys,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["tests/setup/global-services.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          env: auditKeys,
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          globalSetup: ["tests/setup/global-services.ts", "tests/setup/global-build.ts"],
        },
      },
    ],
  },
});
