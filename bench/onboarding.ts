// `npm run bench:onboarding [-- --runs 3]`: issue 6's "under 10 minutes for a new township".
// Starts the app as `npm start` does (production build: run `npm run build` first) on a fresh test
// database and, in Chromium, does what a person does: the county admin onboards a township from
// the template (facts, platforms kept and one added, villages and grids imported from an XLSX
// file, the admin and three first staff, preview, publish), then the new admin logs in with the
// one-time password and chooses their own, and so does a new grid worker, who files the first
// case. Each run onboards another
// township. Prints the machine time of each step (median of the runs), the human effort counted
// from the script's own actions, and a keystroke-level-model (KLM) estimate of a person's time.
// Figures are recorded in bench/README.md.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import ExcelJS from "exceljs";
import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";
import { importOrgFile } from "#app/server/org-import.server";
import { startAppOn } from "#tests/setup/app-process";
import { ARTIFACTS, launchBrowser } from "#tests/setup/browser";
import { createTestDatabase } from "#tests/setup/services";

// ---- The model: keystroke-level operators, in seconds ----------------------------------------
// K, P, B, H, M: Card, Moran & Newell, "The keystroke-level model for user performance time with
// interactive systems", CACM 23(7), 1980. K is their "average non-secretary typist" (40 wpm): a
// county clerk, not a typist.
const K = 0.28;
// Their "typing random letters": the one-time passwords (aaaa-bbbb-cccc) typed from a note.
const K_RANDOM = 0.5;
// One Chinese character with a pinyin IME. Wang, Zhai & Su (CHI 2001, "Chinese input with keyboard
// and eye-tracking") decompose pinyin input into the letters, a candidate-selection key and the
// choice reaction among homophones, the latter 36 % of the time. A character here costs ≈ 3 letters
// of pinyin + 1 selection key = 4 K = 1.12 s, which is 64 % → 1.75 s (≈ 34 characters a minute).
// Names of people and places get little help from phrase prediction, so no discount.
const ZH_CHAR = 1.75;
const P = 1.1; // point with the mouse at a target
const B = 0.1; // press or release a mouse button (a click is 2 B)
const H = 0.4; // move a hand between keyboard and mouse
const M = 1.35; // mental preparation: before every field, selection, click and key command
// Assumption (not a cited figure): reading down a drop-down list costs 0.1 s per option passed
// before the one wanted (serial visual search), which is what makes a long list expensive.
const SCAN_OPTION = 0.1;
// Assumption: finding the file in the operating system's file dialog (it sits in a known folder).
const FILE_DIALOG = 5;
// Reading allowances (assumptions): a simple page (login, a list, a menu); a wizard step with its
// labels and help (≈ 50–150 Chinese characters at ≈ 300–500 characters a minute, plus orienting);
// the preview (counts, a long list of changes, the generated form: skimmed, not read line by
// line); the one-time passwords (checking them and copying them out, e.g. a screenshot, to hand
// over; writing 4 × 14 random characters by hand would take longer).
const READ_PAGE = 5;
const READ_STEP = 10;
const READ_PREVIEW = 60;
const READ_CREDENTIALS = 30;
const TARGET_SECONDS = 600;
// A slow user, to see how far the verdict depends on the constants: KLM's "typing random letters"
// rate for every key, 20 Chinese characters a minute, twice the reading, a slow file dialog and
// list search.
const SLOW_USER = {
  K: 0.5,
  ZH: 3,
  READ_PAGE: 2 * READ_PAGE,
  READ_STEP: 2 * READ_STEP,
  READ_PREVIEW: 2 * READ_PREVIEW,
  READ_CREDENTIALS: 2 * READ_CREDENTIALS,
  FILE: 15,
  SCAN: 0.2,
};

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Math.max(1, Number(values.runs));

// ---- The townships and their files, as a county holds them ------------------------------------
type Township = { zh: string; en: string; code: string; division: string; villages: Array<[zh: string, en: string]> };
// Villages and communities (names ending 社区 are communities), with the county's English names.
const TOWNSHIPS: Township[] = [
  {
    zh: "南溪镇",
    en: "Nanxi Town",
    code: "nanxi",
    division: "330903102",
    villages: [
      ["南溪社区", "Nanxi Community"],
      ["溪口村", "Xikou Village"],
      ["上塘村", "Shangtang Village"],
      ["下洋村", "Xiayang Village"],
      ["石门村", "Shimen Village"],
      ["枫树岭村", "Fengshuling Village"],
      ["大坪村", "Daping Village"],
      ["后垟村", "Houyang Village"],
      ["岙里村", "Aoli Village"],
      ["新桥村", "Xinqiao Village"],
      ["桃源村", "Taoyuan Village"],
      ["东岸社区", "Dong'an Community"],
    ],
  },
  {
    zh: "白沙乡",
    en: "Baisha Township",
    code: "baisha",
    division: "330903205",
    villages: [
      ["白沙社区", "Baisha Community"],
      ["前岙村", "Qian'ao Village"],
      ["后岙村", "Hou'ao Village"],
      ["沙角村", "Shajiao Village"],
      ["柏树村", "Baishu Village"],
      ["塘头村", "Tangtou Village"],
      ["小湾村", "Xiaowan Village"],
      ["大湾村", "Dawan Village"],
      ["龙潭村", "Longtan Village"],
      ["青峙村", "Qingzhi Village"],
      ["黄泥坎村", "Huangnikan Village"],
      ["港口社区", "Gangkou Community"],
    ],
  },
  {
    zh: "临江镇",
    en: "Linjiang Town",
    code: "linjiang",
    division: "330903108",
    villages: [
      ["临江社区", "Linjiang Community"],
      ["江口村", "Jiangkou Village"],
      ["渡头村", "Dutou Village"],
      ["沿江村", "Yanjiang Village"],
      ["杨柳村", "Yangliu Village"],
      ["高桥村", "Gaoqiao Village"],
      ["樟树村", "Zhangshu Village"],
      ["凤山村", "Fengshan Village"],
      ["竹林村", "Zhulin Village"],
      ["马岙村", "Ma'ao Village"],
      ["胡家村", "Hujia Village"],
      ["滨江社区", "Binjiang Community"],
    ],
  },
];
const GRIDS_PER_VILLAGE = [10, 9, 8, 9, 8, 7, 9, 8, 8, 9, 7, 8]; // 100 grids
// The last grid of these villages is a dedicated grid (专属网格) around one site.
const DEDICATED: Record<number, string> = { 0: "工业园区专属网格", 4: "中心学校专属网格", 11: "农贸市场专属网格" };
const NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];
const GRID_WORKER_AT = { village: 6, grid: 3 }; // 大坪村第三网格 and its counterparts
const ADDED_PLATFORM = { id: "platform-culture-tourism", zh: "文旅融合平台", en: "Culture and Tourism Platform" };

function townshipFor(run: number): Township {
  const base = TOWNSHIPS[run % TOWNSHIPS.length]!;
  const round = Math.floor(run / TOWNSHIPS.length);
  return round ? { ...base, code: `${base.code}-${round + 1}` } : base;
}

const villageId = (tw: Township, v: number) =>
  `${tw.division}${tw.villages[v]![0].endsWith("社区") ? "0" : "2"}${String(v + 1).padStart(2, "0")}`;
const gridId = (tw: Township, v: number, g: number) => `${villageId(tw, v)}-${String(g + 1).padStart(2, "0")}`;
const gridName = (tw: Township, v: number, g: number) =>
  DEDICATED[v] !== undefined && g === GRIDS_PER_VILLAGE[v]! - 1
    ? `${tw.villages[v]![0]}${DEDICATED[v]}`
    : `${tw.villages[v]![0]}第${NUMERALS[g]}网格`;

/** The township's villages and grids as an XLSX sheet: Chinese headers and values, ids from the division codes. */
async function writeOrgFile(tw: Township, file: string): Promise<number> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("村社网格");
  sheet.addRow(["类型", "编号", "名称", "英文名称", "上级编号", "网格类型"]);
  let rows = 0;
  tw.villages.forEach(([zh, en], v) => {
    sheet.addRow([zh.endsWith("社区") ? "社区" : "村", villageId(tw, v), zh, en, "", ""]);
    rows++;
  });
  tw.villages.forEach((_, v) => {
    for (let g = 0; g < GRIDS_PER_VILLAGE[v]!; g++) {
      const dedicated = DEDICATED[v] !== undefined && g === GRIDS_PER_VILLAGE[v]! - 1;
      sheet.addRow([
        "网格",
        gridId(tw, v, g),
        gridName(tw, v, g),
        "",
        villageId(tw, v),
        dedicated ? "专属网格" : "综合网格",
      ]);
      rows++;
    }
  });
  await book.xlsx.writeFile(file);
  return rows;
}

// ---- Counting what a person does --------------------------------------------------------------
type Segment = "county" | "handover";
const OPS = [
  "K",
  "K_RANDOM",
  "ZH",
  "P",
  "B",
  "H",
  "M",
  "SCAN",
  "FILE",
  "READ_PAGE",
  "READ_STEP",
  "READ_PREVIEW",
  "READ_CREDENTIALS",
] as const;
type Op = (typeof OPS)[number];
type Model = Record<Op, number>;
const MODEL: Model = {
  K,
  K_RANDOM,
  ZH: ZH_CHAR,
  P,
  B,
  H,
  M,
  SCAN: SCAN_OPTION,
  FILE: FILE_DIALOG,
  READ_PAGE,
  READ_STEP,
  READ_PREVIEW,
  READ_CREDENTIALS,
};
type Tally = {
  pages: number;
  fields: number;
  zhChars: number;
  otherChars: number;
  keystrokes: number;
  imeSwitches: number;
  selections: number;
  clicks: number;
  uploads: number;
  ops: Record<Op, number>;
  waitS: number;
};
type StepRecord = { name: string; segment: Segment; tally: Tally; machineMs: number };
type RunRecord = {
  code: string;
  steps: StepRecord[];
  timings: Map<string, number>;
  counts: Map<string, number>;
  observations: string[];
};

const emptyTally = (): Tally => ({
  pages: 0,
  fields: 0,
  zhChars: 0,
  otherChars: 0,
  keystrokes: 0,
  imeSwitches: 0,
  selections: 0,
  clicks: 0,
  uploads: 0,
  ops: Object.fromEntries(OPS.map((o) => [o, 0])) as Record<Op, number>,
  waitS: 0,
});
const klmSeconds = (t: Tally, model: Model = MODEL) => OPS.reduce((s, o) => s + t.ops[o] * model[o], 0) + t.waitS;

class Recorder {
  readonly run: RunRecord;
  private step: StepRecord | undefined;
  private started = 0;
  constructor(code: string) {
    this.run = { code, steps: [], timings: new Map(), counts: new Map(), observations: [] };
  }
  begin(name: string, segment: Segment) {
    this.end();
    this.step = { name, segment, tally: emptyTally(), machineMs: 0 };
    this.started = performance.now();
  }
  end() {
    if (!this.step) return;
    this.step.machineMs = performance.now() - this.started;
    this.run.steps.push(this.step);
    this.step = undefined;
  }
  get tally(): Tally {
    if (!this.step) throw new Error("no step begun");
    return this.step.tally;
  }
  time(label: string, ms: number) {
    this.run.timings.set(label, (this.run.timings.get(label) ?? 0) + ms);
    this.run.counts.set(label, (this.run.counts.get(label) ?? 0) + 1);
  }
}

/** Resolves when the app answers a matching request, recording how long that took from now. */
function timedResponse(page: Page, rec: Recorder, label: string, match: (url: string, method: string) => boolean) {
  const t0 = performance.now();
  return page
    .waitForResponse((r) => match(r.url(), r.request().method()), { timeout: 60_000 })
    .then(() => rec.time(label, performance.now() - t0));
}
const postTo = (part: string) => (url: string, method: string) =>
  method === "POST" && new URL(url).pathname.endsWith(part);

const HAN = /\p{Script=Han}/u;
const SHIFTED = /[A-Z~!@#$%^&*()_+{}|:"<>?（）：“”《》！？]/u;

/** One person at one browser page: every action is performed and counted here, nowhere else. */
class Person {
  private hand: "mouse" | "keyboard" = "mouse";
  private ime: "zh" | "en" = "en";
  constructor(
    readonly page: Page,
    private readonly rec: Recorder,
  ) {}

  private get t() {
    return this.rec.tally;
  }
  private toMouse() {
    if (this.hand === "keyboard") this.t.ops.H++;
    this.hand = "mouse";
  }
  private toKeyboard() {
    if (this.hand === "mouse") this.t.ops.H++;
    this.hand = "keyboard";
  }

  /**
   * The person waits for the machine: measured, and counted as the KLM's system response time.
   * The wait starts before the action that triggers it, so no response can slip past it.
   */
  async wait(label: string, until: () => Promise<unknown>, action: () => Promise<unknown> = async () => undefined) {
    const t0 = performance.now();
    await Promise.all([until(), action()]);
    const ms = performance.now() - t0;
    this.t.waitS += ms / 1000;
    this.rec.time(label, ms);
  }

  /** A page or wizard step comes into view and is read. */
  sees(kind: "page" | "step" | "preview" | "credentials") {
    this.t.pages++;
    this.t.ops[
      ({ page: "READ_PAGE", step: "READ_STEP", preview: "READ_PREVIEW", credentials: "READ_CREDENTIALS" } as const)[
        kind
      ]
    ]++;
  }

  /** Opens a bookmarked address: one click. */
  async visit(url: string) {
    this.t.ops.M++;
    this.toMouse();
    this.t.ops.P++;
    this.t.ops.B += 2;
    this.t.clicks++;
    await this.wait("page loads", () => this.page.goto(url));
  }

  async click(target: Locator, then?: { label: string; until: () => Promise<unknown> }) {
    this.t.ops.M++;
    this.toMouse();
    this.t.ops.P++;
    this.t.ops.B += 2;
    this.t.clicks++;
    if (then) await this.wait(then.label, then.until, () => target.click());
    else await target.click();
  }

  /** A key command (Enter to submit): M + K. */
  async press(target: Locator, key: string, then?: { label: string; until: () => Promise<unknown> }) {
    this.t.ops.M++;
    this.toKeyboard();
    this.t.ops.K++;
    this.t.keystrokes++;
    if (then) await this.wait(then.label, then.until, () => target.press(key));
    else await target.press(key);
  }

  /**
   * Types into a field: reached with Tab from the field before (`tab`) or pointed at and clicked.
   * Chinese characters cost ZH_CHAR each (pinyin IME); the rest a keystroke each, shifted
   * characters two; switching the IME between Chinese and Latin letters costs a keystroke.
   */
  async type(target: Locator, text: string, options: { tab?: boolean; random?: boolean } = {}) {
    const t = this.t;
    t.ops.M++;
    t.fields++;
    if (options.tab && this.hand === "keyboard") {
      t.ops.K++;
      t.keystrokes++;
      await this.page.keyboard.press("Tab");
      if (!(await target.evaluate((el) => el === document.activeElement)))
        throw new Error(`Tab did not reach the field for "${text}"`);
    } else {
      this.toMouse();
      t.ops.P++;
      t.ops.B += 2;
      await target.click();
    }
    this.toKeyboard();
    for (const ch of text) {
      const mode = HAN.test(ch) ? "zh" : /[A-Za-z]/.test(ch) ? "en" : undefined;
      if (mode && mode !== this.ime) {
        t.ops.K++;
        t.keystrokes++;
        t.imeSwitches++;
        this.ime = mode;
      }
      if (mode === "zh") {
        t.ops.ZH++;
        t.zhChars++;
        continue;
      }
      t.otherChars++;
      t.keystrokes++;
      t.ops[options.random ? "K_RANDOM" : "K"]++;
      if (SHIFTED.test(ch)) {
        t.ops.K++;
        t.keystrokes++;
      }
    }
    // The IME commits Chinese text whole; Latin text arrives key by key, as typed.
    if (HAN.test(text)) await target.fill(text);
    else await target.pressSequentially(text);
  }

  /** Opens a drop-down and picks an option: reading down the list to it costs SCAN_OPTION per option passed. */
  async select(
    target: Locator,
    value: string,
    then?: { label: string; until: () => Promise<unknown> },
  ): Promise<{ position: number; options: number }> {
    const where = await target.evaluate((el, v) => {
      const options = [...(el as HTMLSelectElement).options].filter((o) => !o.disabled);
      return { position: options.findIndex((o) => o.value === v), options: options.length };
    }, value);
    if (where.position < 0) throw new Error(`no option "${value}"`);
    const t = this.t;
    t.ops.M++;
    this.toMouse();
    t.ops.P += 2;
    t.ops.B += 4;
    t.ops.SCAN += where.position;
    t.selections++;
    if (then) await this.wait(then.label, then.until, () => target.selectOption(value));
    else await target.selectOption(value);
    return where;
  }

  /** Chooses a file: click the file input, find the file in the dialog, double-click it. */
  async upload(target: Locator, file: string, then: { label: string; until: () => Promise<unknown> }) {
    const t = this.t;
    t.ops.M++;
    this.toMouse();
    t.ops.P += 2;
    t.ops.B += 6;
    t.ops.FILE++;
    t.uploads++;
    await this.wait(then.label, then.until, () => target.setInputFiles(file));
  }
}

// ---- The path ----------------------------------------------------------------------------------
const STAFF = (tw: Township) => [
  { login: `${tw.code}.routing`, name: "陈思远", post: "routing", unit: "command-room" },
  { login: `${tw.code}.wenlv`, name: "王海峰", post: "platform-lead", unit: ADDED_PLATFORM.id },
  {
    login: `${tw.code}.grid1`,
    name: "李秀英",
    post: "grid-worker",
    unit: gridId(tw, GRID_WORKER_AT.village, GRID_WORKER_AT.grid - 1),
  },
];
const ADMIN_NAME = "周敏";

async function loginAs(person: Person, url: string, login: string, password: string, random: boolean) {
  const { page } = person;
  await person.visit(url + "/login");
  person.sees("page");
  await person.type(page.getByLabel("账号"), login);
  await person.type(page.getByLabel("密码"), password, { tab: true, random });
  await person.press(page.getByLabel("密码"), "Enter", {
    label: "logins",
    until: () => page.waitForURL((u) => !u.pathname.startsWith("/login"), { waitUntil: "commit" }),
  });
  person.sees("page");
}

/** A one-time password opens only the password page: the new user chooses their own first. */
async function chooseOwnPassword(person: Person, oneTime: string, next: string) {
  const { page } = person;
  await person.type(page.getByLabel("当前密码"), oneTime, { random: true });
  await person.type(page.getByLabel("新密码", { exact: true }), next, { tab: true });
  await person.type(page.getByLabel("再次输入新密码"), next, { tab: true });
  await person.click(page.getByRole("button", { name: "保存新密码" }), {
    label: "password change",
    until: () => page.getByTestId("password-changed").waitFor(),
  });
  person.sees("page");
}

async function onboardOnce(
  browser: Browser,
  url: string,
  tw: Township,
  orgFile: string,
  orgRows: number,
): Promise<RunRecord> {
  const rec = new Recorder(tw.code);
  const villages = tw.villages.length;
  const grids = orgRows - villages;

  // The machine alone: reading the file and checking its rows in process, as the import endpoint does.
  const template = JSON.parse(readFileSync("tenants/templates/command-room-guideline@1.0.0.json", "utf8")) as {
    org: { units: Array<{ id: string; kind: string }> };
  };
  const known = [
    ...template.org.units.map((u) => ({ id: u.id, kind: u.kind })),
    { id: ADDED_PLATFORM.id, kind: "platform" },
  ];
  const t0 = performance.now();
  const parsed = await importOrgFile(
    path.basename(orgFile),
    new Uint8Array(readFileSync(orgFile)),
    known,
    "command-room",
  );
  rec.time("import: read XLSX + check rows, in process", performance.now() - t0);
  if (parsed.issues.length || parsed.units.length !== orgRows)
    throw new Error(`the org file does not import: ${JSON.stringify(parsed.issues.slice(0, 3))}`);

  const county = await browser.newContext();
  const page = await county.newPage();
  const admin = new Person(page, rec);

  rec.begin("county admin logs in", "county");
  await loginAs(admin, url, "county.admin", "gridwork-demo", false);

  rec.begin("county page → onboarding", "county");
  await admin.click(page.getByTestId("counties").getByRole("link", { name: "示范县社会治理中心" }), {
    label: "page loads",
    until: () => page.getByRole("link", { name: "接入新乡镇" }).waitFor(),
  });
  admin.sees("page");
  await admin.click(page.getByRole("link", { name: "接入新乡镇" }), {
    label: "page loads",
    until: () => page.getByLabel("模板版本").waitFor(),
  });

  rec.begin("1 template and version", "county");
  admin.sees("step");
  const templateSelect = page.getByLabel("模板版本");
  const refs = await templateSelect
    .locator("option")
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  // The newest published version of the guideline template.
  const ref = refs
    .filter((r) => r.startsWith("command-room-guideline@"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .at(-1);
  if (!ref) throw new Error("no command-room-guideline template");
  rec.run.observations.push(`template chosen: ${ref} (of ${refs.length} offered)`);
  await admin.select(templateSelect, ref);
  await admin.click(page.getByRole("button", { name: "下一步" }));

  rec.begin("2 township facts, platforms", "county");
  admin.sees("step");
  await admin.type(page.getByLabel("中文名称").first(), tw.zh);
  await admin.type(page.getByLabel("英文名称").first(), tw.en, { tab: true });
  await admin.type(page.getByLabel("乡镇编号"), tw.code, { tab: true });
  const kept = page.getByRole("group", { name: "保留模板中的平台" }).getByRole("checkbox");
  const keptCount = await kept.count();
  for (let i = 0; i < keptCount; i++)
    if (!(await kept.nth(i).isChecked())) throw new Error("a template platform is not kept by default");
  await admin.click(page.getByRole("button", { name: "添加平台" }));
  const added = page.getByRole("group", { name: "新增平台" });
  await admin.type(added.getByLabel("平台编号"), ADDED_PLATFORM.id);
  await admin.type(added.getByLabel("中文名称"), ADDED_PLATFORM.zh, { tab: true });
  await admin.type(added.getByLabel("英文名称"), ADDED_PLATFORM.en, { tab: true });
  await admin.click(page.getByRole("button", { name: "下一步" }));

  rec.begin("3 villages and grids (XLSX import)", "county");
  admin.sees("step");
  await admin.upload(page.getByLabel("从 CSV/XLSX 文件导入"), orgFile, {
    label: "import: until the table shows the rows",
    until: () =>
      Promise.all([
        timedResponse(page, rec, "import: server answers (upload, read XLSX, check rows)", postTo("/import-org")),
        page.getByTestId("import-status").getByText(`已导入 ${orgRows} 行`).waitFor({ timeout: 30_000 }),
      ]),
  });
  const tableRows = await page.getByTestId("org-table").locator("tbody tr").count();
  if (tableRows !== orgRows) throw new Error(`org table shows ${tableRows} rows, expected ${orgRows}`);
  const firstGrid = villages + 1;
  const shownKind = await page
    .getByLabel(`第 ${firstGrid} 行 类型`)
    .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
  const shownGridType = await page
    .getByLabel(`第 ${firstGrid} 行 网格类型`)
    .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
  rec.run.observations.push(
    `imported table, row ${firstGrid} (类型 "网格", 网格类型 "综合网格" in the file) is shown as 类型 "${shownKind}", 网格类型 "${shownGridType}"`,
  );
  const rowProblems = await page.getByTestId("org-issues").count();
  if (rowProblems) throw new Error("the imported rows show problems");
  await admin.click(page.getByRole("button", { name: "下一步" }));

  rec.begin("4 admin and first staff", "county");
  admin.sees("step");
  const adminLogin = await page.getByLabel("账号", { exact: true }).inputValue();
  if (adminLogin !== `${tw.code}.admin`) throw new Error(`admin login not prefilled: "${adminLogin}"`);
  await admin.type(page.getByLabel("姓名", { exact: true }), ADMIN_NAME);
  const staff = STAFF(tw);
  for (const [i, s] of staff.entries()) {
    const n = i + 1;
    await admin.click(page.getByRole("button", { name: "添加人员" }));
    await admin.type(page.getByLabel(`第 ${n} 人 账号`), s.login);
    await admin.type(page.getByLabel(`第 ${n} 人 姓名`), s.name, { tab: true });
    await admin.select(page.getByLabel(`第 ${n} 人 岗位`), s.post);
    const unit = await admin.select(page.getByLabel(`第 ${n} 人 所在单位`), s.unit);
    rec.run.observations.push(`person ${n} (${s.post}): unit is option ${unit.position + 1} of ${unit.options}`);
  }
  const previewCounts = page.getByTestId("preview-counts");
  await admin.click(page.getByRole("button", { name: "下一步" }), {
    label: "preview: until it is shown",
    until: () =>
      Promise.all([
        timedResponse(page, rec, "preview: server answers", postTo("/onboard")),
        previewCounts.waitFor({ timeout: 60_000 }),
      ]),
  });

  rec.begin("5 preview and publish", "county");
  admin.sees("preview");
  const count = async (section: string) =>
    (await previewCounts.locator(`[data-section="${section}"] td`).nth(2).textContent())?.trim();
  if ((await count("grids")) !== String(grids) || (await count("villages")) !== String(villages))
    throw new Error(`preview counts: grids ${await count("grids")}, villages ${await count("villages")}`);
  rec.run.observations.push(
    `preview lists ${await page.getByTestId("preview-changes").locator("li").count()} changes against the template`,
  );
  await admin.click(page.getByRole("button", { name: "发布", exact: true }), {
    label: "publish: until the passwords are shown",
    until: () =>
      Promise.all([
        timedResponse(page, rec, "publish: server answers", postTo("/onboard")),
        page.getByTestId("credentials").waitFor({ timeout: 60_000 }),
      ]),
  });

  rec.begin("one-time passwords → township list", "county");
  admin.sees("credentials");
  const status = await page.getByRole("status").textContent();
  if (status !== `乡镇“${tw.zh}”已接入，配置第 1 版已发布`) throw new Error(`publish status: ${status}`);
  const password = async (login: string) => (await page.getByTestId(`password-${login}`).textContent()) ?? "";
  const adminPassword = await password(`${tw.code}.admin`);
  const gridWorker = staff[2]!;
  const gridPassword = await password(gridWorker.login);
  await admin.click(page.getByRole("link", { name: "返回乡镇列表" }), {
    label: "page loads",
    until: () => page.getByTestId("county-townships").locator(`tr[data-code="${tw.code}"]`).waitFor(),
  });
  admin.sees("page");
  rec.end();
  await county.close();

  // Handover: the new township admin's first login, then the grid worker's first case.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  const newAdmin = new Person(adminPage, rec);
  rec.begin("township admin: first login, own password, config v1", "handover");
  await loginAs(newAdmin, url, `${tw.code}.admin`, adminPassword, true);
  await chooseOwnPassword(newAdmin, adminPassword, "Zhoumin#2026");
  await newAdmin.click(adminPage.getByRole("link", { name: tw.zh }), {
    label: "page loads",
    until: () => adminPage.getByRole("link", { name: "配置管理" }).waitFor(),
  });
  newAdmin.sees("page");
  await newAdmin.click(adminPage.getByRole("link", { name: "配置管理" }), {
    label: "page loads",
    until: () => adminPage.getByTestId("config-version").getByText("v1").waitFor(),
  });
  newAdmin.sees("page");
  rec.end();
  await adminContext.close();

  const phone: BrowserContextOptions = {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    geolocation: { latitude: 29.9853, longitude: 122.2072, accuracy: 12 },
    permissions: ["geolocation"],
  };
  const gridContext = await browser.newContext(phone);
  const gridPage = await gridContext.newPage();
  const worker = new Person(gridPage, rec);
  const village = tw.villages[GRID_WORKER_AT.village]![0];
  rec.begin("grid worker: first login, own password, first case", "handover");
  await loginAs(worker, url, gridWorker.login, gridPassword, true);
  await chooseOwnPassword(worker, gridPassword, "Lixiuying#2026");
  await worker.click(gridPage.getByRole("link", { name: tw.zh }), {
    label: "page loads",
    until: () => gridPage.getByRole("link", { name: "上报事件" }).waitFor(),
  });
  worker.sees("page");
  await worker.click(gridPage.getByRole("link", { name: "上报事件" }), {
    label: "page loads",
    until: () => gridPage.getByLabel("事件类别").waitFor(),
  });
  worker.sees("page");
  await worker.select(gridPage.getByLabel("事件类别"), "dispute", {
    label: "page loads",
    until: () => gridPage.getByTestId("intake-form").waitFor(),
  });
  worker.sees("page");
  await worker.click(gridPage.getByTestId("locate"), {
    label: "location",
    until: () => gridPage.getByTestId("point").waitFor(),
  });
  await worker.type(gridPage.getByLabel("事件概要"), `${village}两户村民因宅基地边界发生争执`);
  await worker.type(gridPage.getByLabel("涉及人数"), "2", { tab: true });
  await worker.type(gridPage.getByLabel("发生地点"), `${village}5组`, { tab: true });
  await worker.click(gridPage.getByRole("button", { name: "提交" }), {
    label: "first case: submit",
    until: () =>
      gridPage
        .getByRole("status")
        .getByText(/事件已上报/)
        .waitFor(),
  });
  worker.sees("page");
  const reported = await gridPage.getByRole("status").textContent();
  if (!/事件已上报，编号 \d{4}-000001/.test(reported ?? "")) throw new Error(`first case status: ${reported}`);
  rec.end();
  await gridContext.close();
  return rec.run;
}

// ---- Run and report ----------------------------------------------------------------------------
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const mmss = (s: number) => `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, "0")} s`;
const sumTallies = (ts: Tally[]): Tally => {
  const out = emptyTally();
  for (const t of ts) {
    for (const k of [
      "pages",
      "fields",
      "zhChars",
      "otherChars",
      "keystrokes",
      "imeSwitches",
      "selections",
      "clicks",
      "uploads",
      "waitS",
    ] as const)
      out[k] += t[k];
    for (const o of OPS) out.ops[o] += t.ops[o];
  }
  return out;
};

const files = mkdtempSync(path.join(tmpdir(), "gridwork-onboarding-"));
const database = await createTestDatabase();
const app = await startAppOn(database);
const browser = await launchBrowser();
const loadBefore = loadavg()[0]!;
try {
  const records: RunRecord[] = [];
  let fileInfo = "";
  for (let r = 0; r < runs; r++) {
    const tw = townshipFor(r);
    const file = path.join(files, `${tw.zh}村社网格划分表.xlsx`);
    const rows = await writeOrgFile(tw, file);
    fileInfo = `${tw.villages.length} villages/communities + ${rows - tw.villages.length} grids = ${rows} rows, XLSX ${(statSync(file).size / 1024).toFixed(1)} KiB`;
    try {
      records.push(await onboardOnce(browser, app.url, tw, file, rows));
    } catch (error) {
      // What the person was looking at when it failed.
      mkdirSync(ARTIFACTS, { recursive: true });
      const pages = browser.contexts().flatMap((c) => c.pages());
      for (const [i, p] of pages.entries())
        await p
          .screenshot({ path: path.join(ARTIFACTS, `bench-onboarding-failure-${i + 1}.png`), fullPage: true })
          .catch(() => undefined);
      console.error(
        `run ${r + 1} failed; screenshots in artifacts/bench-onboarding-failure-*.png; pages: ${pages.map((p) => p.url()).join(", ")}`,
      );
      throw error;
    }
    process.stderr.write(`run ${r + 1}/${runs}: ${tw.code} onboarded, first case filed\n`);
  }
  const loadAfter = loadavg()[0]!;

  const first = records[0]!;
  const stepNames = first.steps.map((s) => s.name);
  const stepOf = (rec: RunRecord, name: string) => rec.steps.find((s) => s.name === name)!;

  console.log(
    `Onboarding a township, from the county admin's login to the new grid worker's first case: median of ${runs} run(s) (${records.map((r) => r.code).join(", ")}).`,
  );
  console.log(
    `Chromium ${browser.version()}, app on ${database.kind}, production build, ${cpus().length} vCPU ${cpus()[0]?.model.trim()}, Node ${process.version}, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}.`,
  );
  console.log(
    `Org file (per township): ${fileInfo}; headers 类型/编号/名称/英文名称/上级编号/网格类型, Chinese values (村/社区/网格, 综合网格/专属网格).\n`,
  );

  console.log("Machine time (wall clock of the script's actions, with no human pauses):\n");
  console.log("| step | who | machine time | of which waiting for the app |");
  console.log("|---|---|---|---|");
  for (const name of stepNames) {
    const steps = records.map((r) => stepOf(r, name));
    console.log(
      `| ${name} | ${first.steps.find((s) => s.name === name)!.segment === "county" ? "county admin" : "new staff"} | ${ms(median(steps.map((s) => s.machineMs)))} | ${ms(median(steps.map((s) => s.tally.waitS * 1000)))} |`,
    );
  }
  const segmentMs = (rec: RunRecord, seg?: Segment) =>
    rec.steps.filter((s) => !seg || s.segment === seg).reduce((n, s) => n + s.machineMs, 0);
  console.log(`| **onboarding (county admin)** | | **${ms(median(records.map((r) => segmentMs(r, "county"))))}** | |`);
  console.log(`| **whole path** | | **${ms(median(records.map((r) => segmentMs(r))))}** | |\n`);
  console.log(
    "| server/browser latency (summed over the path where it happens more than once) | times in a run | median | min | max |",
  );
  console.log("|---|---|---|---|---|");
  for (const label of first.timings.keys()) {
    const xs = records.map((r) => r.timings.get(label) ?? 0);
    console.log(
      `| ${label} | ${first.counts.get(label)} | ${ms(median(xs))} | ${ms(Math.min(...xs))} | ${ms(Math.max(...xs))} |`,
    );
  }

  // The same actions in every run; only the names typed differ in length, so the first run's counts are shown.
  console.log(
    `\nHuman effort, counted from the script's actions (first run, ${first.code}), and the KLM estimate (median of the runs; includes the measured waits):\n`,
  );
  console.log(
    "| step | pages/steps | fields typed | Chinese chars | Latin/digit chars | keystrokes (incl. Tab, Enter, Shift, IME switches) | selections | clicks | uploads | estimate |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  const row = (label: string, t: Tally, seconds: number, bold = false) => {
    const b = (x: string | number) => (bold ? `**${x}**` : String(x));
    return `| ${b(label)} | ${b(t.pages)} | ${b(t.fields)} | ${b(t.zhChars)} | ${b(t.otherChars)} | ${b(t.keystrokes)} | ${b(t.selections)} | ${b(t.clicks)} | ${b(t.uploads)} | ${b(`${seconds.toFixed(0)} s`)} |`;
  };
  for (const name of stepNames)
    console.log(row(name, stepOf(first, name).tally, median(records.map((r) => klmSeconds(stepOf(r, name).tally)))));
  const segmentTally = (rec: RunRecord, seg?: Segment) =>
    sumTallies(rec.steps.filter((s) => !seg || s.segment === seg).map((s) => s.tally));
  const countyS = median(records.map((r) => klmSeconds(segmentTally(r, "county"))));
  const allS = median(records.map((r) => klmSeconds(segmentTally(r))));
  const countyT = segmentTally(first, "county");
  console.log(row("onboarding (county admin)", countyT, countyS, true));
  console.log(row("whole path", segmentTally(first), allS, true));

  console.log(
    "\nPer run (county admin's onboarding / whole path): " +
      records
        .map((r) => {
          const c = segmentTally(r, "county");
          return `${r.code}: ${c.fields} fields, ${c.zhChars} Chinese + ${c.otherChars} Latin/digit characters, ${klmSeconds(c).toFixed(0)} s / ${klmSeconds(segmentTally(r)).toFixed(0)} s`;
        })
        .join("; ") +
      ".",
  );
  const op = (o: Op, t: Tally) => `${o} ${t.ops[o]} × ${MODEL[o]} s = ${(t.ops[o] * MODEL[o]).toFixed(1)} s`;
  console.log(
    `\nOnboarding (county admin) by operator: ${OPS.filter((o) => countyT.ops[o])
      .map((o) => op(o, countyT))
      .join("; ")}; waiting for the app ${countyT.waitS.toFixed(1)} s (first run).`,
  );
  console.log(`IME switches between Chinese and Latin: ${countyT.imeSwitches} (county admin).`);

  console.log("\nModel (keystroke-level model, Card, Moran & Newell 1980):");
  console.log(
    `- K = ${K} s a keystroke (average non-secretary typist, 40 wpm); Shift, Tab, Enter and each IME switch are keystrokes; K_RANDOM = ${K_RANDOM} s for the random one-time passwords.`,
  );
  console.log(
    `- Chinese: ${ZH_CHAR} s a character with a pinyin IME (≈ 3 pinyin letters + 1 selection key = 4 K, plus the homophone choice reaction, 36 % of input time in Wang, Zhai & Su, CHI 2001) ≈ ${Math.round(60 / ZH_CHAR)} characters a minute.`,
  );
  console.log(
    `- P = ${P} s pointing, B = ${B} s a button press or release (click = 2 B), H = ${H} s homing between mouse and keyboard, M = ${M} s before every field, selection, click and key command.`,
  );
  console.log(
    `- Fields: adjacent fields are reached with Tab, the others pointed at and clicked; each typed once, no corrections.`,
  );
  console.log(
    `- Drop-downs: M + open (P, 2 B) + ${SCAN_OPTION} s per option read before the one wanted (assumption) + choose (P, 2 B).`,
  );
  console.log(
    `- File upload: M + click the file input + ${FILE_DIALOG} s to find the file in the dialog (assumption) + double-click it.`,
  );
  console.log(
    `- Reading (assumptions): ${READ_PAGE} s a page, ${READ_STEP} s a wizard step, ${READ_PREVIEW} s the preview, ${READ_CREDENTIALS} s to check the one-time passwords and copy them out for handing over.`,
  );
  console.log(`- Waiting: the app's measured response times in the run (no overlap with thinking assumed).`);
  console.log(
    `- Not modelled: errors and corrections, looking up the staff's names and logins, preparing the villages/grids file (assumed to exist in this format), handing over the passwords.`,
  );

  const slow: Model = { ...MODEL, ...SLOW_USER };
  const countySlow = median(records.map((r) => klmSeconds(segmentTally(r, "county"), slow)));
  const allSlow = median(records.map((r) => klmSeconds(segmentTally(r), slow)));
  console.log(
    `- Slow-user variant: ${Object.entries(SLOW_USER)
      .map(([k, v]) => `${k} = ${v} s`)
      .join(", ")}.`,
  );

  console.log(
    `\nEstimate: onboarding by the county admin ${mmss(countyS)} (${countyS.toFixed(0)} s) — ${countyS < TARGET_SECONDS ? "UNDER" : "OVER"} the 10-minute target; the whole path to the first case ${mmss(allS)} (${allS.toFixed(0)} s) — ${allS < TARGET_SECONDS ? "also under" : "over"} 10 minutes.`,
  );
  console.log(
    `Slow-user variant: onboarding ${mmss(countySlow)} (${countySlow < TARGET_SECONDS ? "under" : "OVER"} 10 minutes), whole path ${mmss(allSlow)}.`,
  );
  console.log("\nObservations (first run):");
  for (const o of first.observations) console.log(`- ${o}`);
} finally {
  await browser.close();
  await app.stop();
  await database.drop();
  rmSync(files, { recursive: true, force: true });
}
