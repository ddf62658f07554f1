// Attachments and comments on a case. Files are checked by their first bytes (not only by the name
// or the browser's claim), limited in size and count, kept in the database and served only to
// people who may read the case. Both are audited.
import { createHash } from "node:crypto";
import { type Issue, textIssue } from "#engine/issues";
import { appendAudit } from "./audit.server";
import type { Db, Tx } from "./db.server";
import { env } from "./env.server";
import type { Upload } from "./form-input.server";
import { isUuid } from "./params.server";
import { accessibleCases } from "./permissions.server";
import { userNames } from "./supervision.server";
import { MiB } from "#engine/limits";
import type { TenantContext } from "./tenancy.server";

const MAX_FILES_PER_CASE = 20;
/** What an upload form reads: no more files than a case can hold, each within the configured size. */
export const uploadLimits = (field: string) => ({ field, max: MAX_FILES_PER_CASE, maxBytes: env.maxUploadFileBytes });

const startsWith = (bytes: Uint8Array, sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);

/** Allowed kinds, recognised by their magic bytes. Office files are zip containers. */
const KINDS: Array<{ type: string; ext: string[]; test: (b: Uint8Array) => boolean }> = [
  { type: "image/jpeg", ext: ["jpg", "jpeg"], test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: "image/png", ext: ["png"], test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  {
    type: "image/webp",
    ext: ["webp"],
    test: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8),
  },
  { type: "application/pdf", ext: ["pdf"], test: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46]) },
  {
    type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ext: ["docx"],
    test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]),
  },
  {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ext: ["xlsx"],
    test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]),
  },
];

/** The stored content type of an upload, or the reason it is refused. */
function checkUpload(
  file: Upload,
  index: number,
): { ok: true; type: string; name: string } | { ok: false; issue: Issue } {
  const name = file.name.replace(/[\\/\u0000-\u001f]/g, "_").slice(-120) || "file";
  const ext = name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  const path = `/files/${index}`;
  if (file.bytes.length === 0)
    return { ok: false, issue: textIssue(path, "file.empty", `“${name}”是空文件`, `"${name}" is empty`) };
  const max = env.maxUploadFileBytes;
  if (file.bytes.length > max)
    return {
      ok: false,
      issue: textIssue(path, "file.too-large", `“${name}”超过 ${MiB(max)}`, `"${name}" is larger than ${MiB(max)}`),
    };
  const kind = KINDS.find((k) => k.ext.includes(ext) && k.test(file.bytes));
  if (!kind) {
    return {
      ok: false,
      issue: textIssue(
        path,
        "file.type",
        `“${name}”不是允许的文件类型（照片 JPG/PNG/WEBP、PDF、Word、Excel）`,
        `"${name}" is not an allowed type (JPG/PNG/WEBP photos, PDF, Word, Excel)`,
      ),
    };
  }
  return { ok: true, type: kind.type, name };
}

const readable = (ctx: TenantContext, caseId: string) => ({
  AND: [{ id: caseId, tenantId: ctx.tenant.id }, accessibleCases(ctx.ability)],
});

/** Checks every upload first; nothing is stored unless all pass. */
export function checkUploads(
  files: Upload[],
): { ok: true; files: Array<Upload & { type: string }> } | { ok: false; issues: Issue[] } {
  const checked = files.map((f, i) => ({ f, r: checkUpload(f, i) }));
  const issues = checked.flatMap(({ r }) => (r.ok ? [] : [r.issue]));
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    files: checked.map(({ f, r }) => ({ name: r.ok ? r.name : f.name, bytes: f.bytes, type: r.ok ? r.type : "" })),
  };
}

/** Inserts checked uploads in the caller's transaction, one audit entry each. */
export async function storeAttachments(
  tx: Tx,
  tenantId: string,
  userId: string,
  caseId: string,
  files: Array<Upload & { type: string }>,
  now: Date,
) {
  for (const f of files) {
    const sha256 = createHash("sha256").update(f.bytes).digest("hex");
    const a = await tx.attachment.create({
      data: {
        tenantId,
        caseId,
        name: f.name,
        contentType: f.type,
        size: f.bytes.length,
        sha256,
        data: Buffer.from(f.bytes),
        uploadedBy: userId,
      },
      select: { id: true },
    });
    await appendAudit(tx, {
      tenantId,
      caseId,
      actorId: userId,
      type: "case.attachment-added",
      data: { attachmentId: a.id, name: f.name, size: f.bytes.length, sha256 },
      at: now,
    });
  }
}

export async function addAttachments(
  ctx: TenantContext,
  caseId: string,
  files: Upload[],
  now: Date,
): Promise<{ ok: true; count: number } | { ok: false; issues: Issue[]; notFound?: boolean }> {
  const checked = checkUploads(files);
  if (!checked.ok) return checked;
  return ctx.db.transaction(async (tx) => {
    const found = await tx.case.findFirst({
      where: readable(ctx, caseId),
      select: { id: true, _count: { select: { attachments: true } } },
    });
    if (!found) return { ok: false as const, issues: [], notFound: true };
    if (found._count.attachments + files.length > MAX_FILES_PER_CASE) {
      return {
        ok: false as const,
        issues: [
          textIssue(
            "/files",
            "file.too-many",
            `每个事件最多 ${MAX_FILES_PER_CASE} 个附件`,
            `At most ${MAX_FILES_PER_CASE} files per case`,
          ),
        ],
      };
    }
    await storeAttachments(tx, ctx.tenant.id, ctx.user.id, caseId, checked.files, now);
    return { ok: true as const, count: files.length };
  });
}

export async function listAttachments(ctx: TenantContext, caseId: string) {
  return ctx.db.transaction((tx) =>
    tx.attachment.findMany({
      where: { caseId, case: readable(ctx, caseId) },
      select: { id: true, name: true, contentType: true, size: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
  );
}

export async function getAttachment(ctx: TenantContext, caseId: string, attachmentId: string) {
  if (!isUuid(attachmentId)) return null;
  return ctx.db.transaction((tx) =>
    tx.attachment.findFirst({ where: { id: attachmentId, caseId, case: readable(ctx, caseId) } }),
  );
}

export async function addComment(
  ctx: TenantContext,
  caseId: string,
  body: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; issues: Issue[]; notFound?: boolean }> {
  const text = body.trim();
  if (!text) return { ok: false, issues: [textIssue("/body", "comment.empty", "请填写内容", "Write something first")] };
  if (text.length > 2000)
    return { ok: false, issues: [textIssue("/body", "comment.too-long", "不超过 2000 字", "At most 2000 characters")] };
  return ctx.db.transaction(async (tx) => {
    if (!(await tx.case.findFirst({ where: readable(ctx, caseId), select: { id: true } })))
      return { ok: false as const, issues: [], notFound: true };
    const c = await tx.comment.create({
      data: { tenantId: ctx.tenant.id, caseId, authorId: ctx.user.id, body: text },
      select: { id: true },
    });
    await appendAudit(tx, {
      tenantId: ctx.tenant.id,
      caseId,
      actorId: ctx.user.id,
      type: "case.commented",
      data: { commentId: c.id },
      at: now,
    });
    return { ok: true as const };
  });
}

export async function listComments(db: Db, ctx: TenantContext, caseId: string) {
  const rows = await ctx.db.transaction((tx) =>
    tx.comment.findMany({
      where: { caseId, case: readable(ctx, caseId) },
      orderBy: { createdAt: "asc" },
      select: { id: true, body: true, createdAt: true, authorId: true },
    }),
  );
  const names = await userNames(
    db,
    rows.map((r) => r.authorId),
  );
  return rows.map((r) => ({ ...r, author: names[r.authorId] ?? "" }));
}
