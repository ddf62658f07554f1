// Real headless Chromium (playwright gives each launch a fresh profile) from Debian (never a downloaded browser), driven by playwright-core.
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM } from "./services";

/** Chromium as the machine has it, with nothing of its own running in the background. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Chromium for the browser tests: contexts default to zh-CN. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  // Chromium says Accept-Language en-US, and pages follow it (ADR 032); a township's staff browse in
  // Chinese, so contexts (and newPage, which makes one) default to zh-CN unless a test picks `locale`.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ locale: "zh-CN", ...options });
  return browser;
}

export const ARTIFACTS = path.resolve("artifacts");
