import "server-only";
import { DEMO_APP, DEMO_OBJECTS, DEMO_USERS, demoRecords } from "./demo-crm";
import { DEMO_FORMS } from "./demo-forms";
import { DEMO_TEAM_EMAILS, demoSecurityModel } from "./demo-security";
import { DEMO_VIEWS } from "./demo-views";
import { DEMO_FLOWS } from "./demo-flows";
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
 * The records belong to the demo sales team, and the demo's security model is published with
 * them (see seedDemoSecurity).
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

  // Each record is created by the demo user who owns it (so it is theirs under record access);
  // where that user does not exist (users from before the demo), by the first admin, else by
  // the platform, unowned.
  const team = await demoUserIds(services);
  const fallback: SecurityContext = admin ? { kind: "user", userId: admin.id, role: "admin" } : { kind: "system" };
  const ownerContext = (email: string): SecurityContext => {
    const userId = team.get(email);
    return userId ? { kind: "user", userId, role: "user" } : fallback;
  };
  const { accounts, contacts, opportunities, leads } = demoRecords();
  const accountIds: string[] = [];
  for (const { owner, ...account } of accounts) accountIds.push((await services.objectql.insert(ownerContext(owner), "account", account)).id);
  const contactIds: string[] = [];
  for (const { accountIndex, owner, ...contact } of contacts) {
    contactIds.push((await services.objectql.insert(ownerContext(owner), "contact", { ...contact, account: accountIds[accountIndex] })).id);
  }
  for (const { accountIndex, contactIndex, owner, ...opportunity } of opportunities) {
    await services.objectql.insert(ownerContext(owner), "opportunity", {
      ...opportunity,
      account: accountIds[accountIndex],
      contact: contactIds[contactIndex],
    });
  }
  for (const { owner, ...lead } of leads) await services.objectql.insert(ownerContext(owner), "lead", lead);
  await seedDemoSecurity(services, team, adminId);
  // Published after the records: the demo data is as generated, the flows act on what users do next.
  for (const flow of DEMO_FLOWS) {
    await services.metadata.create("flow", flow, adminId);
    await services.metadata.publish("flow", flow.name, {}, adminId);
  }
  return true;
}

/** The ids of the demo users that exist, by email. */
async function demoUserIds(services: Services): Promise<Map<string, string>> {
  const users = await services.platformDb.user.findMany({
    where: { email: { in: DEMO_USERS.map((user) => user.email) } },
    select: { id: true, email: true },
  });
  return new Map(users.map((user) => [user.email, user.id]));
}

/**
 * Publishes the demo's security model (demo-security.ts), only where it cannot change what
 * anyone had: no security model exists yet, and the whole demo sales team was seeded (users
 * from before the demo would otherwise lose access to records behind the admin's back).
 * Returns whether it did.
 */
async function seedDemoSecurity(services: Services, team: Map<string, string>, adminId: string): Promise<boolean> {
  if ((await services.metadata.list("security")).length > 0) return false;
  if (!DEMO_TEAM_EMAILS.every((email) => team.has(email))) return false;
  const model = demoSecurityModel((email) => team.get(email)!);
  await services.metadata.create("security", model, adminId);
  await services.metadata.publish("security", "org", { note: "The demo's security model" }, adminId);
  return true;
}
