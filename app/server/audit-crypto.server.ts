// Keys of the audit trail, separate from the session secret (docs/decisions/005-audit-trail.md):
// AUDIT_HMAC_KEY keys the hash chain; AUDIT_SIGNING_KEY (Ed25519, PEM or base64 PKCS#8 DER) signs
// the checkpoints that anchor each chain's head.
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "./env.server";

const HMAC_FILE = "audit-hmac-key";
const SIGNING_FILE = "audit-signing-key.pem";

/**
 * Fills AUDIT_HMAC_KEY / AUDIT_SIGNING_KEY from the data folder when they are unset. `create` (npm
 * start) makes random keys on first use, like the session secret; the CLIs only read them, since
 * a fresh key would make every keyed entry look edited.
 */
export function loadAuditKeys(dataDir: string, { create }: { create: boolean }) {
  const hmacFile = path.join(dataDir, HMAC_FILE);
  const signingFile = path.join(dataDir, SIGNING_FILE);
  if (create) {
    mkdirSync(dataDir, { recursive: true });
    if (!process.env.AUDIT_HMAC_KEY && !existsSync(hmacFile))
      writeFileSync(hmacFile, randomBytes(32).toString("hex"), { mode: 0o600 });
    if (!process.env.AUDIT_SIGNING_KEY && !existsSync(signingFile)) {
      const { privateKey } = generateKeyPairSync("ed25519");
      writeFileSync(signingFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    }
  }
  if (!process.env.AUDIT_HMAC_KEY && existsSync(hmacFile))
    process.env.AUDIT_HMAC_KEY = readFileSync(hmacFile, "utf8").trim();
  if (!process.env.AUDIT_SIGNING_KEY && existsSync(signingFile))
    process.env.AUDIT_SIGNING_KEY = readFileSync(signingFile, "utf8").trim();
}

export class AuditKeyMissing extends Error {}

/** CLIs (seed, publish, verify) find npm start's keys in the default data folder. */
function fromDataDir() {
  if (!env.auditHmacKey || !env.auditSigningKey)
    loadAuditKeys(path.resolve(process.env.GRIDWORK_DATA_DIR ?? "data"), { create: false });
}

export function hmacKey(): string {
  fromDataDir();
  const key = env.auditHmacKey;
  if (!key)
    throw new AuditKeyMissing(
      "AUDIT_HMAC_KEY is not set and no audit-hmac-key is in the data folder (npm start makes one).",
    );
  return key;
}

let cachedSigning:
  | { source: string; privateKey: KeyObject; publicKey: KeyObject; keyId: string; publicPem: string }
  | undefined;

function signingKey() {
  fromDataDir();
  const source = env.auditSigningKey;
  if (!source)
    throw new AuditKeyMissing(
      "AUDIT_SIGNING_KEY is not set and no audit-signing-key.pem is in the data folder (npm start makes one).",
    );
  if (cachedSigning?.source !== source) {
    const privateKey = source.includes("-----BEGIN")
      ? createPrivateKey(source)
      : createPrivateKey({ key: Buffer.from(source, "base64"), format: "der", type: "pkcs8" });
    if (privateKey.asymmetricKeyType !== "ed25519")
      throw new Error("AUDIT_SIGNING_KEY must be an Ed25519 private key.");
    const publicKey = createPublicKey(privateKey);
    const der = publicKey.export({ type: "spki", format: "der" });
    cachedSigning = {
      source,
      privateKey,
      publicKey,
      keyId: createHash("sha256").update(der).digest("hex"),
      publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
  }
  return cachedSigning;
}

/** The public half, for exports: anyone can check a checkpoint's signature with it. */
export function checkpointPublicKey() {
  const { keyId, publicPem } = signingKey();
  return { keyId, publicKey: publicPem };
}

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function hmacHex(key: string, prevHash: string, body: string): string {
  return createHmac("sha256", key).update(prevHash).update(body).digest("hex");
}

export type CheckpointFields = { tenantId: string; seq: number; hash: string; at: Date };

/** The exact bytes a checkpoint's signature covers. */
export function checkpointPayload(c: CheckpointFields): string {
  return canonical({
    kind: "gridwork.audit-checkpoint",
    v: 1,
    tenantId: c.tenantId,
    seq: c.seq,
    hash: c.hash,
    at: c.at.toISOString(),
  });
}

export function signCheckpoint(c: CheckpointFields): { keyId: string; signature: string } {
  const k = signingKey();
  return { keyId: k.keyId, signature: sign(null, Buffer.from(checkpointPayload(c)), k.privateKey).toString("base64") };
}

/** Checked with this server's key only: a key id or public key stored beside a checkpoint proves nothing. */
export function checkpointSignatureValid(c: CheckpointFields & { keyId: string; signature: string }): boolean {
  const k = signingKey();
  if (c.keyId !== k.keyId) return false;
  try {
    return verify(null, Buffer.from(checkpointPayload(c)), k.publicKey, Buffer.from(c.signature, "base64"));
  } catch {
    return false;
  }
}
