// `npm start`: everything a newcomer needs, on a machine with nothing but Node.
import { boot } from "../app/server/boot.server.ts";

process.env.NODE_ENV ??= "production";
const running = await boot({
  port: process.env.PORT ? Number(process.env.PORT) : 3000,
  host: process.env.HOST ?? "127.0.0.1",
  build: process.env.GRIDWORK_SKIP_BUILD !== "1",
});

const lines = [
  "",
  `Gridwork is running: ${running.url}`,
  "",
  "Demo logins (password for all: " + (running.logins[0]?.password ?? "-") + "):",
  ...running.logins.map((l) => `  ${l.login.padEnd(14)} ${l.name}  [${l.townships.join(", ")}]`),
  "",
];
console.log(lines.join("\n"));
console.log(`GRIDWORK_READY ${running.url}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
