import "server-only";
import { DEMO_APP, DEMO_OBJECTS, DEMO_USERS, demoRecords } from "./demo-crm";
import { DEMO_FORMS } from "./demo-forms";
import { DEMO_VIEWS } from "./demo-views";
import { hashPassword } from "@/server/auth/password";
import type { Services } from "@/server/services";
import type { SecurityContext } from "@/server/objectql";

/** Creates the demo users if there are no users at all. Returns whether it did. */
export async function seedUsers(services: Services): Promise<boolean> {
  if ((await services.platformDb.user.count()) > 0) return false;
  for (const user of DEMO_USERS) {
    await services.platformDb.user.create({
      data: { email: user.email, name: user.name, role: user.role, passwordHash: await hashPassword(user.password) },
    });
  }
  return true;
}

/**
 * Creates and publishes the demo CRM objects and app, then its records, unless an object of
 * that name already exists (so a restart, or an admin who changed the demo, is left alone).
 */
export async function seedDemoCrm(services: Services): Promise<boolean> {
  const existing = await services.metadata.list("object");
  if (existing.some((document) => document.name === "account")) return false;
  const admin = await services.platformDb.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
  const adminId = admin?.id ?? "system";
  for (const object of DEMO_OBJECTS) {
    await services.metadata.create("object", object, adminId);
    await services.metadata.publish("object", object.name, {}, adminId);
  }
  await services.metadata.create("app", DEMO_APP, adminId);
  await services.metadata.publish("app", DEMO_APP.name, {}, adminId);
  for (const [kind, documents] of [["form", DEMO_FORMS], ["view", DEMO_VIEWS]] as const) {
    for (const document of documents) {
      await services.metadata.create(kind, document, adminId);
      await services.metadata.publish(kind, document.name, {}, adminId);
    }
  }

  // The demo records belong to the first admin (created on their behalf: they own them under
  // record access); without an admin, the platform creates them, unowned.
  const ctx: SecurityContext = admin ? { kind: "user", userId: admin.id, role: "admin" } : { kind: "system" };
  const { accounts, contacts, opportunities } = demoRecords();
  const accountIds: string[] = [];
  for (const account of accounts) accountIds.push((await services.objectql.insert(ctx, "account", account)).id);
  const contactIds: string[] = [];
  for (const { accountIndex, ...contact } of contacts) {
    contactIds.push((await services.objectql.insert(ctx, "contact", { ...contact, account: accountIds[accountIndex] })).id);
  }
  for (const { accountIndex, contactIndex, ...opportunity } of opportunities) {
    await services.objectql.insert(ctx, "opportunity", {
      ...opportunity,
      account: accountIds[accountIndex],
      contact: contactIds[contactIndex],
    });
  }
  return true;
}
