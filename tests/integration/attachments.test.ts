// Attachments and comments: type checked by content, size-limited, readable only by those who may
// read the case, and audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addAttachments,
  addComment,
  getAttachment,
  listAttachments,
  listComments,
} from "#app/server/attachments.server";
import { env } from "#app/server/env.server";
import { reportCase } from "#app/server/cases.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
let caseId = "";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const ctx = async (login: string, town = "east-lake") => (await s.contextOf(login, town))!;

beforeAll(async () => {
  s = await seededDatabase();
  const r = await reportCase(await ctx("east.grid1"), { categoryId: "dispute", data: validDispute }, new Date());
  if (!r.ok) throw new Error("report failed");
  caseId = r.caseId;
});
afterAll(() => teardown(s));

describe("attachments", () => {
  it("stores a photo for the reporter and serves it to readers only", async () => {
    expect(
      await addAttachments(await ctx("east.grid1"), caseId, [{ name: "现场照片.png", bytes: PNG }], new Date()),
    ).toEqual({
      ok: true,
      count: 1,
    });
    const [file] = await listAttachments(await ctx("east.routing"), caseId);
    expect(file).toMatchObject({ name: "现场照片.png", contentType: "image/png", size: PNG.length });
    const got = await getAttachment(await ctx("east.routing"), caseId, file!.id);
    expect(Buffer.from(got!.data).equals(Buffer.from(PNG))).toBe(true);
    expect(await getAttachment(await ctx("east.grid3"), caseId, file!.id)).toBeNull();
    expect(await getAttachment(await ctx("west.routing", "west-hill"), caseId, file!.id)).toBeNull();
    expect(await listAttachments(await ctx("east.grid3"), caseId)).toEqual([]);
  });

  it.each([
    [
      "a script named .png",
      { name: "evil.png", bytes: new TextEncoder().encode("<script>alert(1)</script>") },
      "file.type",
    ],
    ["an executable", { name: "tool.exe", bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0]) }, "file.type"],
    ["an empty file", { name: "empty.pdf", bytes: new Uint8Array() }, "file.empty"],
    [
      "a file over 10 MB",
      { name: "big.pdf", bytes: new Uint8Array(env.maxUploadFileBytes + 1).fill(0x25) },
      "file.too-large",
    ],
  ])("refuses %s, saving nothing", async (_what, file, code) => {
    const before = (await listAttachments(await ctx("east.routing"), caseId)).length;
    const r = await addAttachments(await ctx("east.grid1"), caseId, [file], new Date());
    expect(r).toMatchObject({ ok: false, issues: [{ code }] });
    expect((await listAttachments(await ctx("east.routing"), caseId)).length).toBe(before);
  });

  it("cannot attach to a case one may not read", async () => {
    expect(
      await addAttachments(await ctx("east.grid3"), caseId, [{ name: "x.png", bytes: PNG }], new Date()),
    ).toMatchObject({
      ok: false,
      notFound: true,
    });
  });
});

describe("comments", () => {
  it("adds comments for readers, in order, audited", async () => {
    expect(await addComment(await ctx("east.routing"), caseId, "请网格员补充现场照片", new Date())).toEqual({
      ok: true,
    });
    expect(await addComment(await ctx("east.grid1"), caseId, "  ", new Date())).toMatchObject({
      ok: false,
      issues: [{ code: "comment.empty" }],
    });
    expect(await addComment(await ctx("east.grid3"), caseId, "越权评论", new Date())).toMatchObject({
      ok: false,
      notFound: true,
    });
    const comments = await listComments(s.db, await ctx("east.grid1"), caseId);
    expect(comments.map((c) => [c.author, c.body])).toEqual([["王敏（东湖镇流转督办）", "请网格员补充现场照片"]]);
    const audit = await s.db.auditEvent.findMany({ where: { caseId }, select: { type: true } });
    expect(audit.map((a) => a.type)).toEqual(expect.arrayContaining(["case.attachment-added", "case.commented"]));
  });
});
