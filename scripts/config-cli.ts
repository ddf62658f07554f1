// `npm run config -- validate|resolve|diff|publish|upgrade …`; the work is in app/server/config-cli.server.ts.
import { runConfigCli } from "#app/server/config-cli.server";

process.exitCode = await runConfigCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + "\n"),
  err: (text) => process.stderr.write(text + "\n"),
});
