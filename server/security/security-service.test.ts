import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

/** The published model decides; admins are never restricted; a model switched off restricts nobody. */
describe("SecurityService", () => {
  let h: Harness;
  // Per test, not in beforeAll: the services load the model when made, and mutation testing
  // credits code run in a beforeAll hook to no test (docs/mutation-testing.md).
  beforeEach(async () => {
    h = await createHarness(sqliteTestDatabase());
  });
  afterEach(async () => {
    await h?.close();
  });

  it("restricts users only while a published model is enforced", async () => {
    const asUser = { kind: "user" as const, userId: h.user.id, role: "user" };
    const asAdmin = { kind: "user" as const, userId: h.admin.id, role: "admin" };
    expect(await h.services.security.accessFor(asUser)).toBeNull();

    const created = await h.asAdmin.metadata.create({ kind: "security", body: { profiles: [{ name: "none", label: "Nothing" }], defaultProfile: "none" } });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org" });
    const access = await h.services.security.accessFor(asUser);
    expect(access?.permissions("account").read).toBe(false);
    expect(await h.services.security.accessFor(asAdmin)).toBeNull();

    const current = await h.asAdmin.metadata.get({ kind: "security", name: "org" });
    await h.asAdmin.metadata.saveDraft({ kind: "security", name: "org", body: { ...(current.draft ?? current.published ?? created.draft), enforced: false }, baseRevision: current.draftRevision });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org" });
    expect(await h.services.security.accessFor(asUser)).toBeNull();
  });
});
