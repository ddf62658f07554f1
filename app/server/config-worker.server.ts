// Config validation off the event loop: resolving, validating (Ajv + semantic checks) and diffing
// a document of up to the caps takes long enough that, on the main thread, every other request of
// every township would wait for it. One worker thread, started on first use and kept; tasks queue
// in it. docs/decisions/021-bounded-config-work.md.
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { TemplateLookup } from "#engine/config/resolve";
import { isJsonObject } from "#engine/config/id-paths";
import type { Issue } from "#engine/issues";
import type { ConfigTasks } from "./config-worker-tasks";

/** A task still running after this long is stopped (with its worker) and refused. */
const CONFIG_TASK_TIMEOUT_MS = Number(process.env.GRIDWORK_CONFIG_CHECK_TIMEOUT_MS ?? 60_000);

export class ConfigTaskTimeout extends Error {}

export const timeoutIssue = (): Issue => ({
  path: "",
  code: "limit.time",
  message: {
    zh: `校验超时：超过 ${CONFIG_TASK_TIMEOUT_MS / 1000} 秒，请缩小配置后重试`,
    en: `Checking took longer than ${CONFIG_TASK_TIMEOUT_MS / 1000} s; make the config smaller and try again`,
  },
});

// This module runs from app/server under tsx and from build/index.js in the built server.
function entryFile(): URL {
  for (const candidate of ["./config-worker-entry.mjs", "../app/server/config-worker-entry.mjs"]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new Error("config-worker-entry.mjs not found beside the server code");
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };
let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function stop(error: Error) {
  const current = worker;
  worker = undefined;
  for (const p of pending.values()) {
    clearTimeout(p.timer);
    p.reject(error);
  }
  pending.clear();
  void current?.terminate();
}

function started(): Worker {
  if (worker) return worker;
  // No inherited loader flags: the entry registers tsx itself (see there).
  const w = new Worker(entryFile(), { execArgv: [] });
  w.on("message", (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    clearTimeout(p.timer);
    if (message.ok) p.resolve(message.value);
    else p.reject(new Error(message.error));
    if (!pending.size) w.unref();
  });
  w.on("error", (error) => worker === w && stop(error));
  w.on("exit", (code) => worker === w && stop(new Error(`config worker exited with ${code}`)));
  worker = w;
  return w;
}

/** Runs an engine task in the worker thread; the input and result are copied across. */
export function runConfigTask<K extends keyof ConfigTasks>(
  task: K,
  input: Parameters<ConfigTasks[K]>[0],
): Promise<ReturnType<ConfigTasks[K]>> {
  const w = started();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => stop(new ConfigTaskTimeout(`config task ${task} took longer than ${CONFIG_TASK_TIMEOUT_MS} ms`)),
      CONFIG_TASK_TIMEOUT_MS,
    );
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
    w.ref();
    w.postMessage({ id, task, input });
  });
}

/** The templates a document's `extends` chain names, for a lookup inside the worker. */
export function templatesFor(raw: unknown, lookup: TemplateLookup): Array<[string, unknown]> {
  const out = new Map<string, unknown>();
  let current = raw;
  while (isJsonObject(current) && typeof current.extends === "string" && !out.has(current.extends)) {
    const ref = current.extends;
    current = lookup(ref);
    if (current === undefined) break;
    out.set(ref, current);
  }
  return [...out];
}

/** prepareConfig in the worker; a timeout is a refusal like any other issue. */
export async function prepareConfigOffThread(
  raw: unknown,
  lookup: TemplateLookup,
): Promise<ReturnType<ConfigTasks["prepare"]>> {
  try {
    return await runConfigTask("prepare", { raw, templates: templatesFor(raw, lookup) });
  } catch (error) {
    if (error instanceof ConfigTaskTimeout) return { ok: false, issues: [timeoutIssue()] };
    throw error;
  }
}
