// Real headless Chromium (playwright gives each launch a fresh profile) from Debian (never a downloaded browser), driven by playwright-core.
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM } from "./services.ts";

export async function launchBrowser(): Promise<Browser> {
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

export const ARTIFACTS = path.resolve("artifacts");
