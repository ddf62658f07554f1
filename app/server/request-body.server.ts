// How much of a request body the server reads. Each kind of body has a limit (README:
// configuration), enforced while the body streams in, so an oversized request is refused before
// it is held in memory (docs/decisions/020-bounded-request-bodies.md).
import { Transform } from "node:stream";
import type { Bilingual } from "#engine/i18n";
import { MiB } from "#engine/limits";
import { env } from "./env.server";

/**
 * Pages that post a whole config document (editor, form designer, upgrade, onboarding, a standards
 * body's release): their forms may be larger, up to MAX_CONFIG_FORM_BYTES, so that the config caps
 * of engine/limits.ts, not the form limit, decide and name what is too large.
 */
const CONFIG_PAGES = /^\/(t\/[^/]+\/admin(\/|$)|c\/[^/]+\/onboard\/?$|s\/[^/]+\/publish\/?$)/;
const isConfigPage = (pathname: string) => CONFIG_PAGES.test(pathname);

/** The most bytes a form without files may send to this path. */
export const formLimitFor = (pathname: string) => (isConfigPage(pathname) ? env.maxConfigFormBytes : env.maxFormBytes);

/** The most bytes a request may send: multipart uploads get room for their files, anything else is a form. */
export function bodyLimitFor(contentType: string | undefined, pathname: string) {
  if (isConfigPage(pathname)) return env.maxConfigFormBytes;
  return /^multipart\/form-data/i.test(contentType ?? "") ? env.maxUploadRequestBytes : env.maxFormBytes;
}

export const tooLargeMessage = (limit: number): Bilingual => ({
  zh: `请求内容超过 ${MiB(limit)} 的上限`,
  en: `The request is larger than the ${MiB(limit)} limit`,
});

export const bilingual = (m: Bilingual) => `${m.zh} / ${m.en}`;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(bilingual(tooLargeMessage(limit)));
  }
}

/** Passes a body through and fails it once more than `limit` bytes have come, calling `onExceeded` first. */
export function byteLimit(limit: number, onExceeded: () => void) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen <= limit) return done(null, chunk);
      onExceeded();
      done(new BodyTooLarge(limit));
    },
  });
}
