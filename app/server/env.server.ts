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
    const list = (process.env.ALLOWED_HOSTS ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
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
  /** Keys the audit hash chain (HMAC-SHA256); npm start fills it from $GRIDWORK_DATA_DIR/audit-hmac-key. */
  get auditHmacKey() {
    return process.env.AUDIT_HMAC_KEY || undefined;
  },
  /** Ed25519 private key (PEM or base64 PKCS#8) signing audit checkpoints. */
  get auditSigningKey() {
    return process.env.AUDIT_SIGNING_KEY || undefined;
  },
  /** How often the job runner anchors each changed audit chain with a signed checkpoint. */
  get auditCheckpointMinutes() {
    const n = Number(process.env.AUDIT_CHECKPOINT_MINUTES);
    return Number.isFinite(n) && n > 0 ? n : 15;
  },
  /** Largest body of a form post that carries no files (docs/decisions/020-bounded-request-bodies.md). */
  get maxFormBytes() {
    return bytesFrom("MAX_FORM_BYTES", 1024 * 1024);
  },
  /** Largest form of a page that posts a whole config document (docs/decisions/021-bounded-config-work.md). */
  get maxConfigFormBytes() {
    return bytesFrom("MAX_CONFIG_FORM_BYTES", 8 * 1024 * 1024);
  },
  /** Largest single uploaded file. */
  get maxUploadFileBytes() {
    return bytesFrom("MAX_UPLOAD_FILE_BYTES", 10 * 1024 * 1024);
  },
  /** Largest multipart request: all its files and fields together. */
  get maxUploadRequestBytes() {
    return bytesFrom("MAX_UPLOAD_REQUEST_BYTES", 50 * 1024 * 1024);
  },
};

function bytesFrom(name: string, fallback: number) {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive number of bytes, not "${raw}".`);
  return value;
}
