import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection from here for CLI commands; the app passes it to the adapter.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
