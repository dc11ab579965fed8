import "server-only";
import { env } from "@/server/env";
import { getServices } from "@/server/services";
import { DEMO_USERS } from "@/server/seed/demo-crm";
import { seedDemoCrm, seedUsers } from "@/server/seed/seed";

/**
 * Runs once when the server process starts (instrumentation.ts): applies migrations (inside
 * getServices) and, on an empty database, seeds the demo users and CRM app.
 */
export async function boot() {
  const services = await getServices();
  if (env.SEED_DEMO === "false") return;
  const createdUsers = await seedUsers(services);
  const createdCrm = await seedDemoCrm(services);
  const what = createdUsers || createdCrm ? "Demo users and the Sales CRM app were created" : "Demo users";
  console.log(`\n${what}. Sign in with (unless changed since):`);
  for (const user of DEMO_USERS) console.log(`  ${user.role.padEnd(5)}  ${user.email}  /  ${user.password}`);
  console.log("");
}
