import { createCaller } from "@/server/api/root";
import type { CurrentUser } from "@/server/auth/options";
import { createServices, type Services } from "@/server/services";
import { DEMO_USERS } from "@/server/seed/demo-crm";
import { seedDemoCrm, seedUsers } from "@/server/seed/seed";
import type { TestDatabase } from "@/test/services-harness";

export type DemoEmail = (typeof DEMO_USERS)[number]["email"];

/** A fresh database seeded exactly as a first start seeds it, with a tRPC caller per demo user. */
export type SeededDemo = {
  services: Services;
  users: Record<DemoEmail, CurrentUser>;
  as(email: DemoEmail): ReturnType<typeof createCaller>;
  close(): Promise<void>;
};

export async function seedDemo(database: TestDatabase): Promise<SeededDemo> {
  const services = await createServices(database.url);
  if (!(await seedUsers(services)) || !(await seedDemoCrm(services))) throw new Error("the demo was not seeded on a fresh database");
  const rows = await services.platformDb.user.findMany({ select: { id: true, email: true, name: true, role: true } });
  const users = Object.fromEntries(rows.map((row) => [row.email, { ...row, role: row.role as CurrentUser["role"] }])) as Record<DemoEmail, CurrentUser>;
  return {
    services,
    users,
    as: (email) => createCaller({ user: users[email], services }),
    async close() {
      await services.close();
      await database.cleanup();
    },
  };
}
