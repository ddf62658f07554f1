// `npm run db:migrate`: apply prisma/migrations to DATABASE_URL (npm start does this itself).
import { migrate } from "#app/server/migrate.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (npm start migrates its embedded database by itself).");
  process.exit(2);
}
const { applied } = await migrate(url);
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
