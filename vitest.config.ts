import { generateKeyPairSync, randomBytes } from "node:crypto";
import { defineConfig } from "vitest/config";

// Audit chain keys for the test processes and the apps they start (fresh each run; ADR 005).
const auditKeys = {
  AUDIT_HMAC_KEY: randomBytes(32).toString("hex"),
  AUDIT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/engine/**/*.test.ts", "tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
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
