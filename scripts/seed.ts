// `npm run db:seed`: seed the demo county into DATABASE_URL (idempotent; npm start does this itself).
import { createPrisma } from "#app/server/db.server";
import { seedDemo } from "#app/server/seed.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (npm start seeds its embedded database by itself).");
  process.exit(2);
}
const db = createPrisma(url);
const { created } = await seedDemo(db);
console.log(created ? "Demo county seeded." : "Demo county already present.");
await db.$disconnect();
