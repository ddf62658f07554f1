// `npm run config -- <command>`: validate, resolve, diff, publish and upgrade config files.
// Exit codes: 0 done, 1 invalid input / refused / conflicts, 2 wrong usage or missing setup.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { CONFIG_LIMITS, MiB, parseBoundedJson } from "#engine/limits";
import path from "node:path";
import { parseArgs } from "node:util";
import { prepareConfig, resolveConfig, type TemplateLookup } from "#engine/config/index";
import { diffConfigs, type ConfigChange } from "#engine/config/diff";
import { isJsonObject, jsonEqual, idPathsIn, type Json } from "#engine/config/id-paths";
import { upgradeConfig, type Resolution, type UpgradeConflict } from "#engine/config/upgrade";
import { type Issue, textIssue } from "#engine/issues";
import {
  publishTemplate,
  publishTownshipConfig,
  templateRefOf,
  type PublishRefusal,
  type TemplatePublication,
  type TownshipPublication,
} from "./config-publish.server";
import { appClock } from "./clock.server";
import { createPrisma } from "./db.server";
import { env } from "./env.server";
import { changeLines, parseJsonValue, upgradeInputFor } from "./template-upgrade.server";
import { templateLookupFromDir } from "./tenant-files.server";
import { issueMessage } from "#app/locales/issues/index";

export type CliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
};

const USAGE = `用法 / Usage: npm run config -- <command> [options]

  validate <file>...                      校验模板或乡镇配置 / validate templates or township configs
  resolve <file>                          输出合并模板后的完整配置 / print the resolved config as JSON
  diff <a.json> <b.json> [--raw]          列出两份配置的差异 / list the changes from a to b
  publish <file>... --by <name> [--notes <text>] [--write-file]
                                          发布到 DATABASE_URL 所指的数据库 / publish into DATABASE_URL
  upgrade <township.json> --to <template@version | template.json>
          [--resolve <path>=ours|theirs|<JSON>]... [--write]
                                          升级到新版模板 / move a township to a new template version

Options:
  --templates <dir>   已发布模板的目录 / folder of published templates (default tenants/templates)
  --locale zh|en      只输出一种语言 / print one language only
  --json              输出 JSON / print JSON
  --raw               diff: 比较文件原文，不合并模板 / compare the files as written, without resolving

Paths name list items by id: /categories/dispute/name/zh is the Chinese name of category "dispute".`;

class UsageError extends Error {}
type ExitCode = 0 | 1 | 2;
type Loaded = { file: string; document: unknown };

export async function runConfigCli(argv: string[], io: CliIo): Promise<ExitCode> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

async function run(argv: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      templates: { type: "string" },
      by: { type: "string" },
      notes: { type: "string" },
      "write-file": { type: "boolean" },
      to: { type: "string" },
      write: { type: "boolean" },
      resolve: { type: "string", multiple: true },
      locale: { type: "string" },
      json: { type: "boolean" },
      raw: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...files] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.locale !== undefined && values.locale !== "zh" && values.locale !== "en")
    throw new UsageError(`--locale must be zh or en, not ${values.locale}`);
  const out = new Output(io, values.locale as "zh" | "en" | undefined);
  const templatesDir = values.templates ?? path.join(env.tenantsDir, "templates");

  switch (command) {
    case "validate": {
      if (!files.length) throw new UsageError("validate: name at least one file");
      const loaded = loadAll(files, out);
      if (!loaded) return 1;
      const lookup = lookupWith(templatesDir, loaded);
      let failed = false;
      for (const { file, document } of loaded) {
        const result = prepareConfig(document, lookup);
        if (result.ok) out.line(`✓ ${file}: 有效 / valid (${describeDocument(document)})`);
        else {
          failed = true;
          out.issues(file, resolvedFor(document, lookup), result.issues);
        }
        if (result.warnings?.length) out.warnings(file, resolvedFor(document, lookup), result.warnings);
      }
      return failed ? 1 : 0;
    }

    case "resolve": {
      if (files.length !== 1) throw new UsageError("resolve: name exactly one file");
      const loaded = loadAll(files, out);
      if (!loaded) return 1;
      const { file, document } = loaded[0]!;
      const result = prepareConfig(document, lookupWith(templatesDir, loaded));
      if (!result.ok) {
        out.issues(file, resolvedFor(document, lookupWith(templatesDir, loaded)), result.issues);
        return 1;
      }
      io.out(JSON.stringify(result.config, null, 2));
      return 0;
    }

    case "diff": {
      if (files.length !== 2) throw new UsageError("diff: name two files");
      const loaded = loadAll(files, out);
      if (!loaded) return 1;
      const lookup = lookupWith(templatesDir, loaded);
      const sides: unknown[] = [];
      for (const { file, document } of loaded) {
        if (values.raw) {
          sides.push(document);
          continue;
        }
        const resolved = resolveConfig(document, lookup);
        if (!resolved.ok) {
          out.issues(file, document, resolved.issues);
          return 1;
        }
        sides.push(resolved.value);
      }
      const changes = diffConfigs(sides[0], sides[1]);
      if (values.json) io.out(JSON.stringify(changes, null, 2));
      else {
        out.line(
          `${files[0]} → ${files[1]}: ${changes.length ? `${changes.length} 处变更 / ${changes.length} change${changes.length === 1 ? "" : "s"}` : "没有变更 / no changes"}`,
        );
        out.changes(changes);
      }
      return 0;
    }

    case "publish": {
      if (!files.length) throw new UsageError("publish: name at least one file");
      if (!values.by)
        throw new UsageError("publish: --by <name> is required (who publishes, recorded with the version)");
      const url = io.env?.DATABASE_URL ?? env.databaseUrl;
      if (!url) {
        io.err("publish: DATABASE_URL is not set / 未设置 DATABASE_URL");
        return 2;
      }
      const loaded = loadAll(files, out);
      if (!loaded) return 1;
      // Templates first, so that a township can be published with the template it moves to.
      const ordered = [
        ...loaded.filter((l) => templateRefOf(l.document)),
        ...loaded.filter((l) => !templateRefOf(l.document)),
      ];
      const db = createPrisma(url);
      let failed = false;
      // --json prints one entry per file (the publication or the refusal) instead of lines.
      const results: Array<{ file: string } & (TemplatePublication | TownshipPublication | PublishRefusal)> = [];
      const refuse = (file: string, document: unknown, issues: Issue[]) => {
        failed = true;
        if (values.json) results.push({ file, ok: false, issues });
        else out.issues(file, document, issues);
      };
      const say = (text: string) => {
        if (!values.json) out.line(text);
      };
      try {
        for (const { file, document } of ordered) {
          const ref = templateRefOf(document);
          if (ref) {
            const copy = values["write-file"] ? path.join(templatesDir, `${ref}.json`) : undefined;
            if (copy && existsSync(copy) && !jsonEqual(readJsonFile(copy), document)) {
              refuse(file, document, [
                textIssue(
                  "/version",
                  "publish.file-exists",
                  `${copy} 已存在且内容不同；已发布的模板版本不可更改`,
                  `${copy} exists with different content; a published template version never changes`,
                ),
              ]);
              continue;
            }
            const result = await publishTemplate(db, document, {
              by: values.by,
              now: appClock.now(),
              ...(values.notes === undefined ? {} : { notes: values.notes }),
            });
            if (!result.ok) {
              refuse(file, resolvedFor(document, lookupWith(templatesDir, loaded)), result.issues);
              continue;
            }
            results.push({ file, ...result });
            say(
              result.status === "published"
                ? `✓ 模板 ${ref} 已发布 / template ${ref} published`
                : `= 模板 ${ref} 已发布过，内容相同 / template ${ref} was already published with the same content`,
            );
            if (copy && !existsSync(copy)) {
              writeFileSync(copy, readFileSync(file, "utf8"));
              say(`  已写入 / written: ${copy}`);
            }
          } else {
            const result = await publishTownshipConfig(db, document, { by: values.by, now: appClock.now() });
            if (!result.ok) {
              refuse(file, resolvedFor(document, lookupWith(templatesDir, loaded)), result.issues);
              continue;
            }
            results.push({ file, ...result });
            say(
              result.status === "published"
                ? `✓ ${result.tenant} 第 ${result.version} 版已发布 / version ${result.version} of ${result.tenant} published (extends ${result.extendsRef ?? "—"})`
                : `= ${result.tenant} 与第 ${result.version} 版相同，未发布新版本 / ${result.tenant} is the same as version ${result.version}; nothing published`,
            );
            if (result.retimedCases) {
              const n = result.retimedCases;
              say(
                `  ${n} 件未结事件的期限已按新日历重新计算 / due dates of ${n} open case${n === 1 ? "" : "s"} re-timed on the new calendar`,
              );
            }
          }
        }
      } finally {
        await db.$disconnect();
      }
      if (values.json) io.out(JSON.stringify(results, null, 2));
      return failed ? 1 : 0;
    }

    case "upgrade": {
      if (files.length !== 1) throw new UsageError("upgrade: name exactly one township file");
      if (!values.to) throw new UsageError("upgrade: --to <template@version> is required");
      const resolutions = parseResolutions(values.resolve ?? []);
      const loaded = loadAll(files, out);
      if (!loaded) return 1;
      const { file, document: source } = loaded[0]!;
      // --to names a published version, or a template file (looked up by its own id@version).
      let to = values.to;
      let given: Loaded[] = [];
      if (to.endsWith(".json")) {
        const t = loadAll([to], out);
        if (!t) return 1;
        const ref = templateRefOf(t[0]!.document);
        if (!ref) {
          out.issues(to, t[0]!.document, [
            textIssue("/kind", "upgrade.not-a-template", `${to} 不是模板`, `${to} is not a template`),
          ]);
          return 1;
        }
        [given, to] = [t, ref];
      }
      const prepared = upgradeInputFor(source, to, lookupWith(templatesDir, given), templatesDir);
      if (!prepared.ok) {
        out.issues(file, source, prepared.issues);
        return 1;
      }
      const result = upgradeConfig({ ...prepared.input, resolutions });
      if (values.json) {
        const { input: _input, ...rest } = result as typeof result & { input?: unknown };
        io.out(JSON.stringify(rest, null, 2));
      }
      if (!result.ok) {
        if (!values.json) out.upgradeFailure(file, result.from, result.to, result.conflicts, result.issues);
        return 1;
      }
      if (!values.json) {
        out.line(
          `✓ ${file}: ${result.from} → ${result.to}，${result.changes.length} 处变更 / ${result.changes.length} change${result.changes.length === 1 ? "" : "s"}`,
        );
        out.changes(result.changes);
      }
      if (values.write) {
        writeFileSync(file, formatConfigJson(result.source));
        io.err(`已写入 / written: ${file}`);
      } else if (!values.json) {
        out.line("（加 --write 写回文件 / add --write to write the file）");
      }
      return 0;
    }

    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}

/** A config file within the caps (engine/limits.ts), checked before it is parsed. */
function readJsonFile(file: string): unknown {
  if (statSync(file).size > CONFIG_LIMITS.bytes) {
    throw new Error(
      `文件过大，上限 ${MiB(CONFIG_LIMITS.bytes)} / the file is larger than the limit of ${MiB(CONFIG_LIMITS.bytes)}`,
    );
  }
  const text = readFileSync(file, "utf8");
  const parsed = parseBoundedJson(text);
  if (!parsed.ok) throw new Error(`${issueMessage(parsed.issue).zh} / ${issueMessage(parsed.issue).en}`);
  return parsed.value === undefined ? JSON.parse(text) : parsed.value;
}

function loadAll(files: string[], out: Output): Loaded[] | undefined {
  const loaded: Loaded[] = [];
  let failed = false;
  for (const file of files) {
    try {
      loaded.push({ file, document: readJsonFile(file) });
    } catch (error) {
      failed = true;
      out.error(`✗ ${file}: 无法读取 / cannot read: ${(error as Error).message}`);
    }
  }
  return failed ? undefined : loaded;
}

/** The published templates in the folder, plus any template named on the command line. */
function lookupWith(dir: string, loaded: Loaded[]): TemplateLookup {
  const fromDir = existsSync(dir) ? templateLookupFromDir(dir) : () => undefined;
  const given = new Map<string, unknown>();
  for (const { document } of loaded) {
    const ref = templateRefOf(document);
    if (ref) given.set(ref, document);
  }
  return (ref) => given.get(ref) ?? fromDir(ref);
}

/** The document that issue paths point into, so they can be shown as id paths. */
function resolvedFor(document: unknown, lookup: TemplateLookup): unknown {
  const resolved = resolveConfig(document, lookup);
  return resolved.ok ? resolved.value : document;
}

function describeDocument(document: unknown): string {
  if (!isJsonObject(document)) return "?";
  const what = `${String(document.kind)} ${String(document.id)}@${String(document.version)}`;
  return typeof document.extends === "string" ? `${what}, extends ${document.extends}` : what;
}

function parseResolutions(flags: string[]): Record<string, Resolution> {
  const out: Record<string, Resolution> = {};
  for (const flag of flags) {
    const at = flag.indexOf("=");
    const pathPart = at < 0 ? "" : flag.slice(0, at);
    if (!pathPart.startsWith("/"))
      throw new UsageError(
        `--resolve takes <path>=ours|theirs|<JSON>, e.g. --resolve /categories/dispute/name/zh=ours (got ${flag})`,
      );
    const choice = flag.slice(at + 1);
    if (choice === "ours" || choice === "theirs") out[pathPart] = choice;
    else {
      const parsed = parseJsonValue(choice);
      if (!parsed.ok)
        throw new UsageError(
          `--resolve ${pathPart}: "${choice}" is neither ours, theirs nor JSON (quote a string value: '"…"')`,
        );
      out[pathPart] = { value: parsed.value };
    }
  }
  return out;
}

/** Lines for people: both languages unless --locale picks one. */
class Output {
  constructor(
    private io: CliIo,
    private locale: "zh" | "en" | undefined,
  ) {}

  line(text: string) {
    this.io.out(text);
  }

  error(text: string) {
    this.io.err(text);
  }

  private bilingual(message: { zh: string; en: string }) {
    return this.locale === "zh" ? message.zh : this.locale === "en" ? message.en : `${message.zh} / ${message.en}`;
  }

  /** `  /path [code] 中文 / English`, with list items named by id where the document allows it. */
  issues(file: string, document: unknown, issues: Issue[]) {
    this.error(`✗ ${file}: 配置无效 / not a valid config (${issues.length})`);
    this.issueLines(document, issues);
  }

  /** What does not refuse the config but would leave the township unable to work. */
  warnings(file: string, document: unknown, warnings: Issue[]) {
    this.error(`! ${file}: 警告 / warnings (${warnings.length})`);
    this.issueLines(document, warnings);
  }

  private issueLines(document: unknown, issues: Issue[]) {
    const toIdPath = document === undefined ? (path: string) => path : idPathsIn(document);
    for (const i of issues) {
      const at = toIdPath(i.path);
      this.error(`  ${at || "/"} [${i.code}] ${this.bilingual(issueMessage(i))}`);
    }
  }

  changes(changes: ConfigChange[]) {
    for (const { mark, path, message } of changeLines(changes)) {
      this.line(`  ${mark} ${path}`);
      if (this.locale !== "en") this.line(`      ${message.zh}`);
      if (this.locale !== "zh") this.line(`      ${message.en}`);
    }
  }

  upgradeFailure(file: string, from: string, to: string, conflicts: UpgradeConflict[], issues: Issue[]) {
    if (conflicts.length) {
      this.error(
        `✗ ${file}: ${from} → ${to}，${conflicts.length} 处冲突需要决定 / ${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"} to decide`,
      );
      for (const c of conflicts) {
        this.error(`  ${c.path} [${c.code}] ${this.bilingual(issueMessage(c.message))}`);
        this.error(`      原模板 base:   ${show(c.base)}`);
        this.error(`      本镇 ours:     ${show(c.ours)}`);
        this.error(`      新模板 theirs: ${show(c.theirs)}`);
        this.error(`      决定 / decide: --resolve '${c.path}=ours' | '${c.path}=theirs' | '${c.path}=<JSON>'`);
      }
    }
    if (issues.length) this.issues(file, undefined, issues);
  }
}

function show(value: Json | undefined): string {
  if (value === undefined) return "（无 / none）";
  const json = JSON.stringify(value);
  return json.length > 160 ? json.slice(0, 157) + "…" : json;
}

/**
 * JSON in the style of the files in tenants/: a value that fits on one line stays on one line
 * (`{ "id": "x", "name": { "zh": "…" } }`), anything longer is broken up by key or item.
 */
function formatConfigJson(value: unknown, width = 200): string {
  const inline = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
    if (isJsonObject(v)) {
      const entries = Object.entries(v);
      return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(", ")} }` : "{}";
    }
    return JSON.stringify(v);
  };
  const block = (v: unknown, indent: string, prefix: string, root: boolean): string => {
    const one = inline(v);
    if (!root && indent.length + prefix.length + one.length <= width) return one;
    const inner = indent + "  ";
    if (Array.isArray(v) && v.length)
      return `[\n${v.map((x) => inner + block(x, inner, "", false)).join(",\n")}\n${indent}]`;
    if (isJsonObject(v) && Object.keys(v).length) {
      const lines = Object.entries(v).map(([k, x]) => {
        const key = `${JSON.stringify(k)}: `;
        return inner + key + block(x, inner, key, false);
      });
      return `{\n${lines.join(",\n")}\n${indent}}`;
    }
    return one;
  };
  return block(value, "", "", true) + "\n";
}
