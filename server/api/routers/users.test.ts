import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";

describe("users router", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("lists every user for an admin, without credentials", async () => {
    const users = await h.asAdmin.users.list();
    expect(users).toEqual([
      { id: h.admin.id, name: "Admin", email: "admin@test.local", role: "admin" },
      { id: h.user.id, name: "User", email: "user@test.local", role: "user" },
    ]);
    for (const user of users) expect(Object.keys(user).sort()).toEqual(["email", "id", "name", "role"]);
  });

  it("refuses signed-out callers and non-admins", async () => {
    await refused(h.anonymous.users.list(), "UNAUTHORIZED");
    await refused(h.asUser.users.list(), "FORBIDDEN");
  });
});
