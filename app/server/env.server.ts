// Every setting the server reads, in one place (documented in README.md).
export const env = {
  get databaseUrl() {
    return process.env.DATABASE_URL || undefined;
  },
  /** Set by the start script when it serves the embedded PGlite database. */
  get embeddedDatabase() {
    return process.env.GRIDWORK_EMBEDDED_DB === "1";
  },
  get redisUrl() {
    return process.env.REDIS_URL || undefined;
  },
  get sessionSecret() {
    const secret = process.env.SESSION_SECRET;
    if (!secret) throw new Error("SESSION_SECRET is not set (npm start sets one for local use).");
    return secret;
  },
  get cookieSecure() {
    return process.env.COOKIE_SECURE === "true";
  },
  /** Minutes without a request after which a session ends (fractions allowed). */
  get sessionIdleMinutes() {
    const minutes = Number(process.env.SESSION_IDLE_MINUTES || 30);
    return Number.isFinite(minutes) && minutes > 0 ? minutes : 30;
  },
  /** Host names (optionally host:port) this install answers to; unset means the listen address. */
  get allowedHosts() {
    const list = (process.env.ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
    return list.length ? list : undefined;
  },
  get tenantsDir() {
    return process.env.GRIDWORK_TENANTS_DIR || "tenants";
  },
  /** Run the job worker in this process (default yes; set 0 for web-only processes). */
  get runWorker() {
    return process.env.GRIDWORK_WORKER !== "0";
  },
  /** How often the reconcile sweep looks for outbox rows no relay handed on (ms). */
  get outboxSweepMs() {
    const ms = Number(process.env.GRIDWORK_OUTBOX_SWEEP_MS || 5000);
    return Number.isFinite(ms) && ms >= 100 ? ms : 5000;
  },
  get queuePrefix() {
    return process.env.GRIDWORK_QUEUE_PREFIX || "gridwork";
  },
};
