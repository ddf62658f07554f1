// `npm run bench:config [-- --runs 200 --warmup 30]`: how long the largest shipped config takes
// to resolve + validate (prepareConfig) and compile (compileConfig), median and p95 after warm-up.
// Figures are recorded in bench/README.md.
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { compileConfig, prepareConfig, resolveConfig, type TemplateLookup } from "#engine/config/index";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "200" }, warmup: { type: "string", default: "30" } },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);

const tenants = new URL("../tenants/", import.meta.url);
const read = (relative: string) => JSON.parse(readFileSync(new URL(relative, tenants), "utf8")) as unknown;
const list = (folder: string) =>
  readdirSync(new URL(`${folder}/`, tenants))
    .filter((n) => n.endsWith(".json"))
    .map((n) => `${folder}/${n}`);
const templates = new Map(
  list("templates").map((file) => [file.slice("templates/".length, -".json".length), read(file)]),
);
const lookup: TemplateLookup = (ref) => templates.get(ref);

// The largest is the one whose resolved document is longest.
const candidates = [...list("templates"), ...list("townships")].map((file) => {
  const raw = read(file);
  const resolved = resolveConfig(raw, lookup);
  return { file, raw, size: resolved.ok ? JSON.stringify(resolved.value).length : 0 };
});
const largest = candidates.sort((a, b) => b.size - a.size)[0];
if (!largest) throw new Error("no configs in tenants/");

type Sample = { validate: number; compile: number; total: number; firstForm: number };

function once(): Sample {
  const raw = structuredClone(largest!.raw);
  const t0 = performance.now();
  const prepared = prepareConfig(raw, lookup);
  const t1 = performance.now();
  if (!prepared.ok) throw new Error(`${largest!.file} is not valid: ${JSON.stringify(prepared.issues)}`);
  const compiled = compileConfig(prepared.config);
  const t2 = performance.now();
  // Not part of validate + compile: a form's validator is compiled on its first use (first intake).
  const firstForm = compiled.forms.keys().next().value;
  if (firstForm) compiled.formValidator(firstForm);
  const t3 = performance.now();
  return { validate: t1 - t0, compile: t2 - t1, total: t2 - t0, firstForm: t3 - t2 };
}

for (let i = 0; i < warmup; i++) once();
const samples = Array.from({ length: runs }, once);
const stats = (key: keyof Sample) => {
  const times = samples.map((s) => s[key]).sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95) };
};
const ms = (v: number) => `${v.toFixed(2)} ms`;
const row = (label: string, key: keyof Sample) => {
  const s = stats(key);
  console.log(`${label.padEnd(34)} median ${ms(s.median).padStart(9)}   p95 ${ms(s.p95).padStart(9)}`);
};
console.log(`config: ${largest.file} (${(largest.size / 1024).toFixed(1)} KiB resolved)`);
console.log(`runs: ${runs} after ${warmup} warm-up, node ${process.version}`);
row("resolve + validate (prepareConfig)", "validate");
row("compile (compileConfig)", "compile");
row("validate + compile", "total");
row("first form validator (lazy)", "firstForm");
console.log(
  stats("total").p95 < 20
    ? "target (validate + compile < 20 ms at p95): met"
    : "target (validate + compile < 20 ms at p95): NOT met",
);
