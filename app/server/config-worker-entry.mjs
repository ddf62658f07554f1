// Entry of the config-check worker thread (./config-worker.server.ts). Plain JavaScript, so Node
// loads it the same way from the built server and under tsx; it brings tsx in for the engine's
// TypeScript itself, since a worker started from the bundle has no loader of its own.
import { register } from "tsx/esm/api";

register();
// biome-ignore lint/style/noRestrictedImports: plain Node needs the file's own name here.
await import("./config-worker-tasks.ts");
