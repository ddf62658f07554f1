// Summarises a V8 CPU profile (node --cpu-prof) for bench/http.ts --profile.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Self time in the server's V8 CPU profile in `dir`, by where the code lives (package, app, engine, GC …). */
export function printProfile(dir: string, log: (line: string) => void) {
  mkdirSync(dir, { recursive: true });
  type Node = { id: number; callFrame: { functionName: string; url: string } };
  type Profile = { nodes: Node[]; samples: number[] };
  // tsx's loader thread writes a profile of its own: take the busiest (the main thread).
  const busy = (p: Profile) => {
    const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
    return p.samples.filter((id) => !idle.has(id)).length;
  };
  const profiles = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => ({ file: f, prof: JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Profile }));
  const best = profiles.sort((a, b) => busy(b.prof) - busy(a.prof))[0];
  if (!best) return log(`no CPU profile in ${dir}`);
  const { file, prof } = best;
  const where = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const by = new Map<string, number>();
  for (const id of prof.samples) {
    const f = where.get(id)!;
    if (f.functionName === "(idle)") continue;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url)?.[1];
    const key = pkg
      ? pkg
      : f.url.includes("/build/")
        ? "app (build/)"
        : (/\/(app|engine|scripts)\//.exec(f.url)?.[1] ??
          (f.url.startsWith("node:")
            ? "node: " + f.url.slice(5).split("/")[0]
            : f.functionName
              ? `(${f.functionName})`
              : "(native)"));
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  const total = busy(prof);
  log(
    `\nserver CPU profile ${path.join(dir, file)}: self time of the busy samples by where the code lives (top 15; ${total} busy samples)`,
  );
  for (const [k, n] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 15))
    log(`  ${((100 * n) / total).toFixed(1).padStart(5)} %  ${k}`);
}
