// The e2e and start-up tests run the built app; `npm test` builds first, this covers direct runs.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export default function setup() {
  if (!existsSync("build/index.js")) {
    execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], { stdio: "inherit" });
  }
}
