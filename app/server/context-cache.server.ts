// Per-process caches of what every request loads (session user, membership, tenant row, latest
// config version), invalidated across processes by PostgreSQL LISTEN/NOTIFY: triggers announce
// each change on `gridwork_cache` (docs/decisions/031-per-process-caches.md). Without a live
// listener (embedded PGlite, a lost connection) nothing is cached and every read goes to the
// database.
import pg from "pg";
import { env } from "./env.server";

const CHANNEL = "gridwork_cache";
/** A bound on staleness should a notification ever be missed. */
const MAX_AGE_MS = 60_000;

type Entry<V> = { value: V; at: number };

class Cache<V> {
  private entries = new Map<string, Entry<V>>();
  constructor(private readonly maxEntries = 50_000) {}
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.at > MAX_AGE_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }
  set(key: string, value: V) {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, at: Date.now() });
  }
  delete(key: string) {
    this.entries.delete(key);
  }
  clear() {
    this.entries.clear();
  }
}

// On globalThis: the Remix build bundles its own copy of this module beside the one the server
// started, and both must share one listener and one registry.
type State = {
  caches: Map<string, Cache<unknown>[]>;
  /** Bumped on every invalidation: a read that started before one must not store its result. */
  generation: number;
  listening: boolean;
  client?: pg.Client;
  stopped: boolean;
  retry?: NodeJS.Timeout;
};
const state: State = ((globalThis as unknown as { gridworkContextCache?: State }).gridworkContextCache ??= {
  caches: new Map(),
  generation: 0,
  listening: false,
  stopped: false,
});
const caches = state.caches;

/** A cache cleared whenever one of `tables` changes (the trigger names the table). */
export function tableCache<V>(tables: string[]): Cache<V> {
  const cache = new Cache<V>();
  for (const t of tables) caches.set(t, [...(caches.get(t) ?? []), cache as Cache<unknown>]);
  return cache;
}

function invalidate(table?: string) {
  state.generation++;
  for (const [t, list] of caches) if (!table || t === table) list.forEach((c) => c.clear());
}

/** This process changed `tables`: forget them now rather than when the notification comes back. */
export function changed(...tables: string[]) {
  if (!tables.length) invalidate();
  else tables.forEach((t) => invalidate(t));
}

/**
 * The cached value for `key`, or `load()`'s result, stored only when no invalidation happened
 * while it ran and only while the listener is live.
 */
export async function cached<V>(cache: Cache<V>, key: string, load: () => Promise<V>): Promise<V> {
  if (state.listening) {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
  }
  const before = state.generation;
  const value = await load();
  if (state.listening && before === state.generation && value !== null && value !== undefined) cache.set(key, value);
  return value;
}

async function connect() {
  const url = env.databaseUrl;
  if (!url || state.stopped) return;
  const c = new pg.Client({ connectionString: url });
  const lost = () => {
    if (state.client !== c) return;
    state.client = undefined;
    state.listening = false;
    invalidate();
    c.end().catch(() => {});
    if (!state.stopped) state.retry = setTimeout(() => void connect(), 1000);
  };
  c.on("error", lost);
  c.on("end", lost);
  c.on("notification", (n) => invalidate(n.payload || undefined));
  try {
    await c.connect();
    state.client = c;
    await c.query(`LISTEN ${CHANNEL}`);
    // Anything cached before the listener went live may have missed a change.
    invalidate();
    state.listening = true;
  } catch {
    if (state.client === c) return lost();
    c.end().catch(() => {});
    if (!state.stopped) state.retry = setTimeout(() => void connect(), 1000);
  }
}

/** Starts the listener; embedded PGlite serves one session, so it caches nothing. */
export async function startContextCache() {
  state.stopped = false;
  if (env.embeddedDatabase || process.env.GRIDWORK_CONTEXT_CACHE === "0") return;
  await connect();
}

export async function stopContextCache() {
  state.stopped = true;
  state.listening = false;
  clearTimeout(state.retry);
  state.retry = undefined;
  const c = state.client;
  state.client = undefined;
  invalidate();
  await c?.end().catch(() => {});
}

/** Forgets `tables` once `work` (a transaction that changes them) has settled, committed or not. */
export function changing<T>(work: Promise<T>, ...tables: string[]): Promise<T> {
  return work.finally(() => changed(...tables));
}
