// Fails fast, before any test, when CI=true and a service the suites need is missing.
import { chromiumAvailable, isCI, postgresAvailable, redisAvailable } from "./services";

export default async function setup() {
  if (!isCI) return;
  const missing: string[] = [];
  if (!(await postgresAvailable())) missing.push("PostgreSQL (127.0.0.1:5432)");
  if (!(await redisAvailable())) missing.push("Redis (127.0.0.1:6379)");
  if (!chromiumAvailable()) missing.push("Chromium (/usr/bin/chromium)");
  if (missing.length) throw new Error(`CI=true and these services are missing: ${missing.join(", ")}`);
}
