// Server rendering with a per-request CSP nonce: inline scripts Remix emits carry it, nothing else runs.
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import type {
  ActionFunctionArgs,
  AppLoadContext,
  EntryContext,
  HandleErrorFunction,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./nonce";
import { keepOutOfCaches } from "./server/cache-control.server";
import { varyOnLanguage } from "./server/locale.server";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const nonce = randomBytes(16).toString("base64");
  keepOutOfCaches(request, headers);
  varyOnLanguage(headers);
  headers.set(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      // Ajv compiles config-defined form schemas to functions in the browser (docs/decisions/010).
      `script-src 'self' 'nonce-${nonce}' 'unsafe-eval'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        // Whole pages at once: the app streams nothing deferred, and this keeps error pages simple.
        onAllReady() {
          const body = new PassThrough();
          headers.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers, status: failed ? 500 : status }));
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          failed = true;
          console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Loader and action data (`?_data`) is as private as the page it belongs to. */
export function handleDataRequest(response: Response, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  keepOutOfCaches(request, response.headers);
  varyOnLanguage(response.headers);
  return response;
}

/**
 * A 4xx (an unknown URL such as /favicon.ico, a bad id) or a client that went away is an answer,
 * not a fault: only real errors reach the log, so crafted input cannot fill it with stack traces.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(error);
};
