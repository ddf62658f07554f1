// Requests no page of the app can serve get a 4xx before Remix sees them, and client errors raised
// by Express itself are answered without a stack trace in the log
// (docs/decisions/020-bounded-request-bodies.md).
import type { NextFunction, Request, Response } from "express";

const METHODS = ["GET", "HEAD", "POST"];

const refuse = (res: Response, status: number, text: string) =>
  res.status(status).type("text/plain; charset=utf-8").send(text);

function decodes(path: string) {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function refuseMalformedRequests(req: Request, res: Response, next: NextFunction) {
  // Pages and forms use GET and POST only; TRACE would echo the request (cookies included).
  if (!METHODS.includes(req.method))
    return refuse(res.set("Allow", METHODS.join(", ")), 405, "不支持该请求方法 / Method not allowed");
  // PostgreSQL text cannot hold NUL, so no code, id or search term can contain one.
  if (/%00/i.test(req.originalUrl) || !decodes(req.path))
    return refuse(res, 400, "请求地址含有无效字符 / The address contains invalid characters");
  next();
}

/** Express's own client errors (4xx) are answered, not logged; everything else goes on to the default handler. */
export function answerClientErrors(error: unknown, _req: Request, res: Response, next: NextFunction) {
  const status = Number((error as { status?: unknown } | null)?.status);
  if (!(status >= 400 && status < 500) || res.headersSent) return next(error);
  refuse(res, status, "请求无效 / Bad request");
}
