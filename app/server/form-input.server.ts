// The one way routes read a form post. Fields and files are parsed as they stream in
// (@fastify/busboy) and every limit is checked as parts arrive, so a refusal comes before the rest
// of the body is read (docs/decisions/020-bounded-request-bodies.md). The overall byte limit of a
// request is enforced below this, in remix-handler.server.ts.
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import Busboy from "@fastify/busboy";
import type { Bilingual } from "#engine/i18n";
import { env } from "./env.server";
import { MiB } from "#engine/limits";
import { BodyTooLarge, bilingual, byteLimit, formLimitFor, tooLargeMessage } from "./request-body.server";

export type Upload = { name: string; bytes: Uint8Array };
/** Which file field a route takes, how many files and how large each may be. */
export type FileLimits = { field: string; max: number; maxBytes?: number };
export type FormRefusal = { ok: false; status: 400 | 413 | 415; message: Bilingual };
export type FormInput = { ok: true; form: FormData; files: Upload[] };

const refusal = (status: FormRefusal["status"], zh: string, en: string): FormRefusal => ({
  ok: false,
  status,
  message: { zh, en },
});
const malformed = () => refusal(400, "表单内容无法解析", "The form could not be read");

/** NUL, raw or as a JSON escape (an odd run of backslashes before u0000), which PostgreSQL text and jsonb refuse. */
const hasNul = (value: string) =>
  value.includes("\u0000") || (/^\s*[[{]/.test(value) && /(^|[^\\])(\\\\)*\\u0000/i.test(value));

export async function readForm(request: Request, files?: FileLimits): Promise<FormInput | FormRefusal> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\s*(;|$)/i.test(type)) {
    return refusal(415, "请以表单方式提交", "Send this as a form (urlencoded or multipart)");
  }
  const maxFileBytes = files?.maxBytes ?? env.maxUploadFileBytes;
  const maxFormBytes = formLimitFor(new URL(request.url).pathname);
  let parser: ReturnType<typeof Busboy>;
  try {
    parser = Busboy({
      headers: { "content-type": type },
      limits: { fieldSize: maxFormBytes, fileSize: maxFileBytes, files: files?.max ?? Infinity },
    });
  } catch {
    return malformed(); // e.g. multipart without a boundary
  }
  const body = request.body ? Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>) : Readable.from([]);
  // A form without files is small whatever its encoding; busboy hands over a field only once it is whole, so count bytes as they come.
  const counted = byteLimit(files ? env.maxUploadRequestBytes : maxFormBytes, () => {});
  return new Promise((resolve) => {
    const form = new FormData();
    const uploads: Upload[] = [];
    let fieldBytes = 0;
    let done = false;
    const finish = (result: FormInput | FormRefusal) => {
      if (done) return;
      done = true;
      // Stop reading: what has not arrived yet is never read.
      body.unpipe(counted);
      counted.unpipe(parser);
      body.pause();
      resolve(result);
    };
    parser.on("field", (name, value, nameTruncated, valueTruncated) => {
      fieldBytes += name.length + value.length;
      if (valueTruncated || fieldBytes > maxFormBytes)
        return finish({ ok: false, status: 413, message: tooLargeMessage(maxFormBytes) });
      if (nameTruncated || hasNul(name) || hasNul(value))
        return finish(
          refusal(400, "表单含有空字符 (NUL)，无法保存", "The form contains a NUL character, which cannot be stored"),
        );
      form.append(name, value);
    });
    parser.on("file", (name, stream, filename) => {
      if (!files || name !== files.field) return finish(refusal(400, "此表单不接受文件", "This form takes no files"));
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () =>
        finish(
          refusal(413, `“${filename}”超过 ${MiB(maxFileBytes)}`, `"${filename}" is larger than ${MiB(maxFileBytes)}`),
        ),
      );
      stream.on("end", () => {
        // A file input left empty still sends a part, with no bytes.
        if (chunks.length) uploads.push({ name: filename, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on("filesLimit", () =>
      finish(refusal(413, `一次最多上传 ${files?.max} 个文件`, `At most ${files?.max} files at a time`)),
    );
    parser.on("finish", () => finish({ ok: true, form, files: uploads }));
    parser.on("error", () => finish(malformed()));
    const failed = (error: Error) =>
      finish(
        error instanceof BodyTooLarge ? { ok: false, status: 413, message: tooLargeMessage(error.limit) } : malformed(),
      );
    body.on("error", failed);
    counted.on("error", failed);
    body.pipe(counted).pipe(parser);
  });
}

/** The fields of a form post that takes no files; a refusal is thrown as a bilingual 4xx. */
export async function requireForm(request: Request): Promise<FormData> {
  const input = await readForm(request);
  if (!input.ok) throw refusalResponse(input);
  return input.form;
}

const refusalResponse = (r: FormRefusal) =>
  new Response(bilingual(r.message), { status: r.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
