// Runs Gridwork as `npm start` does, in a child process, and waits for it to be ready.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "./services";

export type AppProcess = { url: string; pid: number; output: () => string; stop: () => Promise<void> };

/** `nodeArgs`: extra node flags for the server process, e.g. `--cpu-prof` (bench/http.ts). */
/** The app on a test database, in-process jobs unless `env` names REDIS_URL. */
export function startAppOn(database: TestDatabase, env: Record<string, string | undefined> = {}): Promise<AppProcess> {
  return startApp({
    DATABASE_URL: database.url,
    GRIDWORK_EMBEDDED_DB: database.kind === "pglite" ? "1" : "0",
    REDIS_URL: undefined,
    ...env,
  });
}

export type FreshApp = AppProcess & { database: TestDatabase };

/** A fresh test database with the app started on it; `stop()` also drops the database. */
export async function startAppOnFreshDatabase(env: Record<string, string | undefined> = {}): Promise<FreshApp> {
  const database = await createTestDatabase();
  const app = await startAppOn(database, env);
  return {
    ...app,
    database,
    async stop() {
      await app.stop();
      await database.drop();
    },
  };
}

export async function startApp(env: Record<string, string | undefined>, nodeArgs: string[] = []): Promise<AppProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "gridwork-app-"));
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: "0",
      GRIDWORK_SKIP_BUILD: "1",
      GRIDWORK_DATA_DIR: dataDir,
      NODE_ENV: "production",
      // One process unless a test asks for more: CI has two cores.
      WEB_CONCURRENCY: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in time:\n${out}`)), 90_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /GRIDWORK_READY (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A cookie-keeping HTTP client, for driving the app as a browser would without one. */
export class HttpSession {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(pathname: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    // Browsers send Origin with every POST; the app refuses writes without it (CSRF guard).
    if (init.method && init.method !== "GET" && !headers.has("Origin")) headers.set("Origin", this.base);
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(this.base + pathname, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return res;
  }

  post(pathname: string, form: Record<string, string>) {
    return this.request(pathname, { method: "POST", body: new URLSearchParams(form) });
  }

  /** A new session already logged in as `login`. */
  static async as(base: string, login: string) {
    const http = new HttpSession(base);
    await http.login(login);
    return http;
  }

  async login(login: string, password = "gridwork-demo") {
    const res = await this.post("/login", { login, password, redirectTo: "/t" });
    if (res.status !== 302) throw new Error(`login ${login} failed: ${res.status}`);
    return res;
  }

  /** Reports a case through the report form and returns its page's URL (the newest in the list). */
  async reportCase(tenant: string, categoryId: string, data: Record<string, unknown>): Promise<string> {
    const res = await this.post(`/t/${tenant}/report`, { payload: JSON.stringify({ categoryId, data }) });
    if (res.status !== 302) throw new Error(`report failed: ${res.status}`);
    const list = await (await this.request(`/t/${tenant}`)).text();
    return this.base + new RegExp(`href="(/t/${tenant}/cases/[0-9a-f-]{36})"`).exec(list)![1]!;
  }
}

/**
 * A urlencoded form post whose body streams in 64 KiB chunks, as a browser sends a large form: a
 * server that refuses it early answers while it is still being sent (a whole-buffer body would
 * fail with EPIPE instead of giving the answer).
 */
export function streamedForm(fields: Record<string, string>): RequestInit {
  const bytes = new TextEncoder().encode(new URLSearchParams(fields).toString());
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, (at += 64 * 1024)));
    },
  });
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body,
    duplex: "half",
  } as RequestInit;
}

/** A GET with a chosen Host header (fetch does not let one set it), as a DNS-rebinding page would send. */
export function getWithHost(
  base: string,
  host: string,
  pathname = "/login",
): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname: url.hostname, port: url.port, path: pathname, headers: { Host: host } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}
