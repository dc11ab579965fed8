import { env } from "@/server/env";
import { createServices } from "@/server/services";

/**
 * `npm run worker`: a process that only runs flows (after-save runs, runs a stopped process left
 * behind) from the job queue of the database in DATABASE_URL. Start any number, on any machine
 * that reaches the database. On SQLite the web process runs them itself: no worker is needed.
 */
async function main() {
  if (!/^postgres(ql)?:\/\//i.test(env.DATABASE_URL)) {
    console.error("npm run worker needs DATABASE_URL=postgres://...: on SQLite (the default) the web process runs flows itself");
    process.exit(2);
  }
  const services = await createServices(env.DATABASE_URL, { worker: true });
  console.log(`flow worker ${process.pid} started`);
  const stop = async () => {
    await services.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
