import { describe, expect, it } from "vitest";
import { ServiceError } from "@/server/errors";
import { createHarness, sqliteTestDatabase } from "@/test/services-harness";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "./api-keys";

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ServiceError);
  const { code, message, issues } = error as ServiceError;
  return { code, message, issues };
};

/**
 * API keys at the service level: who may create a key for whom, the order of lists, revoking twice,
 * a deactivated owner. (The tRPC and REST paths are in hardening.suite.ts.) One test, so the
 * harness (two bcrypt hashes) is made once, inside it.
 */
describe("API keys", () => {
  it("refuses keys for others and for missing or inactive users, lists newest first, revokes once, refuses a deactivated owner's key", async () => {
    const h = await createHarness(sqliteTestDatabase());
    try {
      const db = h.services.platformDb;
      expect(await refusal(createApiKey(db, h.user, { name: "x", userId: h.admin.id }))).toEqual({
        code: "FORBIDDEN", message: "Only admins may create keys for another user", issues: [{ path: ["userId"], message: "must be your own user" }],
      });
      const noUser = { code: "BAD_REQUEST", message: "No active user with that id", issues: [{ path: ["userId"], message: "no active user with this id" }] };
      expect(await refusal(createApiKey(db, h.admin, { name: "x", userId: "nobody" }))).toEqual(noUser);
      const retired = await db.user.create({ data: { email: "gone@test.local", name: "Gone", role: "user", active: false } });
      expect(await refusal(createApiKey(db, h.admin, { name: "x", userId: retired.id }))).toEqual(noUser);

      // Created a few milliseconds apart, so "newest first" has one answer.
      const created = [];
      for (const [name, actor, userId] of [["first", h.admin, h.user.id], ["second", h.admin, undefined], ["third", h.user, undefined]] as const) {
        created.push(await createApiKey(db, actor, { name, userId }));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const names = (keys: { name: string }[]) => keys.map((key) => key.name);
      expect(names(await listApiKeys(db, h.admin))).toEqual(["third", "second", "first"]);
      expect(names(await listApiKeys(db, h.admin, { userId: h.user.id }))).toEqual(["third", "first"]);
      expect(names(await listApiKeys(db, h.user, { userId: h.admin.id }))).toEqual(["third", "first"]);

      const revoked = await revokeApiKey(db, h.user, created[0].apiKey.id);
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      const again = await revokeApiKey(db, h.admin, created[0].apiKey.id);
      expect([again.id, again.revokedAt]).toEqual([revoked.id, revoked.revokedAt]);

      const third = created[2];
      await db.user.update({ where: { id: h.user.id }, data: { active: false } });
      expect(await authenticateApiKey(db, `Bearer ${third.key}`)).toEqual({
        ok: false, message: "This API key's user is deactivated", key: { id: third.apiKey.id, prefix: third.apiKey.prefix, userId: h.user.id },
      });
    } finally {
      await h.close();
    }
  }, 60_000);
});
