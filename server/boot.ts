import "server-only";
import { env } from "@/server/env";
import { withStartupLock } from "@/server/db/migrate";
import { getServices, type Services } from "@/server/services";
import { DEMO_USERS } from "@/server/seed/demo-crm";
import { seedDemoCrm, seedUsers } from "@/server/seed/seed";

/**
 * Runs once when the server process starts (instrumentation.ts): applies migrations (inside
 * getServices) and, on an empty database, seeds the demo users and CRM app (under the startup
 * lock, so processes starting together seed once). A database that cannot be used ends the
 * process with one line saying what to do, not a stack trace.
 */
export async function boot() {
  const services = await servicesOrExit();
  if (env.SEED_DEMO === "false") return;
  const { createdUsers, createdCrm } = await withStartupLock(services.dataDb, async () => ({
    createdUsers: await seedUsers(services),
    createdCrm: await seedDemoCrm(services),
  }));
  const what = createdUsers || createdCrm ? "Demo users and the Sales CRM app were created" : "Demo users";
  console.log(`\n${what}. Sign in with (unless changed since):`);
  for (const user of DEMO_USERS) console.log(`  ${user.role.padEnd(5)}  ${user.email}  /  ${user.password}`);
  console.log("");
}

async function servicesOrExit(): Promise<Services> {
  try {
    return await getServices();
  } catch (error) {
    if (error instanceof Error && error.name === "DatabaseStartupError") {
      console.error(`ObjectStudio cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
