// `npm start`: everything a newcomer needs, on a machine with nothing but Node. With DATABASE_URL
// the primary prepares (migrations, demo seed, build) once and forks WEB_CONCURRENCY web processes
// sharing the port, plus the job worker as its own process when REDIS_URL is set; embedded PGlite
// stays one process (docs/decisions/030-processes.md).
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { boot, prepare, type Running } from "#app/server/boot.server";
import { getPrisma } from "#app/server/db.server";
import type { DemoLogin } from "#app/server/seed.server";

process.env.NODE_ENV ??= "production";
const port = process.env.PORT ? Number(process.env.PORT) : 3000;
const host = process.env.HOST ?? "127.0.0.1";

function announce(url: string, logins: DemoLogin[]) {
  const lines = [
    "",
    `Gridwork is running: ${url}`,
    "",
    "Demo logins (password for all: " + (logins[0]?.password ?? "-") + "):",
    ...logins.map((l) => `  ${l.login.padEnd(14)} ${l.name}  [${l.townships.join(", ")}]`),
    "",
  ];
  console.log(lines.join("\n"));
  console.log(`GRIDWORK_READY ${url}`);
}

function onStopSignal(stop: () => Promise<void>) {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, once);
  return once;
}

function webProcesses(): number {
  const n = Number(process.env.WEB_CONCURRENCY || availableParallelism());
  return Number.isInteger(n) && n >= 1 ? n : availableParallelism();
}

const role = process.env.GRIDWORK_ROLE;

if (cluster.isWorker) {
  // A child: web ("web") or the job worker ("worker"); the primary has prepared everything.
  const running: Running = await boot({ port, host, prepared: true, build: false, web: role !== "worker" });
  const stop = onStopSignal(() => running.stop());
  // The primary went away (killed hard): do not linger as an orphan.
  process.on("disconnect", stop);
  process.send?.({ ready: running.url });
} else if (!process.env.DATABASE_URL || webProcesses() === 1) {
  // One process serving and running jobs: embedded PGlite serves one connection well, and a bare
  // `npm start` needs nothing more; WEB_CONCURRENCY=1 asks for it on PostgreSQL too.
  const running = await boot({ port, host, build: process.env.GRIDWORK_SKIP_BUILD !== "1" });
  announce(running.url, running.logins);
  onStopSignal(() => running.stop());
} else {
  const { logins } = await prepare({ build: process.env.GRIDWORK_SKIP_BUILD !== "1" });
  await getPrisma().$disconnect();
  const separateWorker = Boolean(process.env.REDIS_URL);
  const count = webProcesses();
  let stopping = false;
  const children = new Set<Worker>();

  const fork = (env: Record<string, string>) =>
    new Promise<string>((resolve, reject) => {
      const child = cluster.fork(env);
      children.add(child);
      child.on("message", (m: { ready?: string }) => {
        if (m && typeof m.ready === "string") resolve(m.ready);
      });
      child.on("exit", (code, signal) => {
        children.delete(child);
        reject(new Error(`process ${env.GRIDWORK_ROLE} exited (${signal ?? code}) before it was ready`));
        if (stopping) return;
        // A child that dies while serving is replaced; the others keep serving meanwhile.
        console.error(
          `[start] ${env.GRIDWORK_ROLE} process ${child.process.pid} exited (${signal ?? code}); starting another`,
        );
        void fork(env).catch((error) => console.error("[start]", (error as Error).message));
      });
    });

  const stopAll = async () => {
    stopping = true;
    await Promise.all(
      [...children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.isDead()) return resolve();
            const timer = setTimeout(() => child.process.kill("SIGKILL"), 10_000);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.process.kill("SIGTERM");
          }),
      ),
    );
  };
  onStopSignal(stopAll);

  try {
    // With Redis the web processes only hand jobs on; one worker process runs them and the sweeps.
    // Without it each web process runs jobs in-process and only the first runs the periodic sweeps.
    if (separateWorker) await fork({ GRIDWORK_ROLE: "worker", GRIDWORK_WORKER: "1" });
    const urls = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        fork({
          GRIDWORK_ROLE: "web",
          GRIDWORK_WORKER: separateWorker || i > 0 ? "0" : (process.env.GRIDWORK_WORKER ?? "1"),
        }),
      ),
    );
    console.log(`Processes: ${count} web${separateWorker ? " + 1 job worker" : ""} (WEB_CONCURRENCY)`);
    announce(urls[0]!, logins);
  } catch (error) {
    console.error(error);
    await stopAll();
    process.exit(1);
  }
}
