// The Express → Remix request handler. It does what @remix-run/express's does (whose helpers are
// not exported), with one change: the body Remix reads streams through a byte limit. A declared
// Content-Length over the limit is refused before anything is read; a chunked body is counted as
// it arrives, and past the limit the client gets 413 at once while the route sees an aborted
// request, so it writes and logs nothing. The rest of the body is never read.
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { bilingual, bodyLimitFor, byteLimit, tooLargeMessage } from "./request-body.server";

type Options = {
  build: ServerBuild;
  mode?: string;
  getLoadContext?: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext | Promise<AppLoadContext>;
};

function refuseTooLarge(res: ExpressResponse, limit: number) {
  if (res.headersSent) return;
  // Closing the connection is what stops the client sending the rest.
  res
    .status(413)
    .set("Connection", "close")
    .type("text/plain; charset=utf-8")
    .send(bilingual(tooLargeMessage(limit)));
}

function remixUrl(req: ExpressRequest) {
  // As the adapter does: req.hostname follows "trust proxy" but drops the port.
  const port = [req.get("X-Forwarded-Host"), req.get("host")]
    .map((h) => Number.parseInt(h?.split(":")[1] ?? "", 10))
    .find(Number.isSafeInteger);
  return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
}

function remixHeaders(req: ExpressRequest) {
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    for (const value of Array.isArray(values) ? values : values ? [values] : []) headers.append(key, value);
  }
  return headers;
}

async function send(req: ExpressRequest, res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  // A route that refused the body before its end: the rest is not read, the connection ends here.
  if (!req.complete) res.set("Connection", "close");
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export function createRequestHandler({ build, mode, getLoadContext }: Options) {
  const handle = createRemixHandler(build, mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const limit = bodyLimitFor(req.get("content-type"), req.path);
    if (hasBody && Number(req.get("content-length")) > limit) return refuseTooLarge(res, limit);
    // Abort loaders and actions once no response can be written any more.
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const init: RequestInit & { duplex?: "half" } = {
      method: req.method,
      headers: remixHeaders(req),
      signal: controller.signal,
    };
    if (hasBody) {
      const counted = byteLimit(limit, () => {
        req.unpipe(counted);
        controller.abort();
        refuseTooLarge(res, limit);
      });
      init.body = createReadableStreamFromReadable(req.pipe(counted));
      init.duplex = "half";
    }
    try {
      const request = new Request(remixUrl(req).href, init);
      const response = await handle(request, await getLoadContext?.(req, res));
      if (!res.headersSent) await send(req, res, response);
    } catch (error) {
      if (!res.headersSent) next(error);
    }
  };
}
