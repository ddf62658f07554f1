/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // engine/ and schemas/ live beside app/; the compiler follows their imports.
  watchPaths: ["engine/**/*", "schemas/**/*", "tenants/**/*"],
};
