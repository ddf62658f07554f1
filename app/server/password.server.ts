// scrypt from node:crypto: a memory-hard hash with no native dependency (docs/decisions/004-sessions.md).
import { randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split("$");
  if (scheme !== "scrypt" || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, "base64");
  const key = await scrypt(password.normalize("NFKC"), Buffer.from(saltB64, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(key, expected);
}

/** A hash to compare against when the login does not exist, so both paths take the same time. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash() {
  dummyHash ??= hashPassword("not-a-real-password");
  return dummyHash;
}

export type PasswordProblem = "tooShort" | "sameAsLogin" | "mismatch" | "unchanged" | "tooSimple";

/** What is wrong with a chosen password (none when it may be used). */
export function passwordProblems(login: string, current: string, next: string, confirm: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...next].length < 10) problems.push("tooShort");
  if (next.toLowerCase().includes(login.toLowerCase())) problems.push("sameAsLogin");
  // One repeated character or a plain run of digits is the first thing anyone guesses.
  if (/^(.)\1*$/.test(next) || /^\d+$/.test(next)) problems.push("tooSimple");
  if (next === current) problems.push("unchanged");
  if (next !== confirm) problems.push("mismatch");
  return problems;
}

const PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** A one-time password people can read out and type: 3 groups of 4, no look-alike characters. */
export function generatePassword(): string {
  const groups = Array.from({ length: 3 }, () =>
    Array.from({ length: 4 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join(""),
  );
  return groups.join("-");
}
