import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordsApi } from "@/server/api/rest/records-api";
import { serveRest } from "@/server/api/rest/rest-route";
import type { Services } from "@/server/services";
import { createTwoProcesses, type TestDatabase, type TwoProcesses } from "@/test/services-harness";
import { listApiCalls } from "./api-usage-log";

/**
 * The REST hot path reads the key and writes the usage log through Kysely, in batches (no Prisma
 * query per call). Two sets of services over one database stand for two web processes.
 */
export function runApiUsageLogSuite(label: string, makeDatabase: () => Promise<TestDatabase> | TestDatabase) {
  describe(`API key check and usage log under concurrent calls (${label})`, () => {
    let processes: TwoProcesses;
    const call = (services: Services, key: string, object = "account") =>
      serveRest(services, recordsApi.describe, new Request(`http://localhost/api/v1/objects/${object}`, { headers: { authorization: `Bearer ${key}` } }), { object });

    beforeAll(async () => {
      processes = await createTwoProcesses(makeDatabase);
    }, 60_000);
    afterAll(() => processes?.close());

    it("logs every one of many concurrent calls from two processes, readable by Prisma", async () => {
      const { a, b } = processes;
      const { key } = await a.asUser.apiKeys.create({ name: "Load" });
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => call(i % 2 ? a.services : b, key, `account_${i}`)));
      expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([404])); // no such object: still a logged call
      await processes.restartB(); // B's pending rows are written when it closes
      const logged = await listApiCalls(a.services.platformDb, { page: 1, pageSize: 500 });
      expect(logged.total).toBe(300);
      expect(new Set(logged.rows.map((row) => row.keyName))).toEqual(new Set(["Load"]));
      for (const row of logged.rows) {
        expect(row.createdAt).toBeInstanceOf(Date);
        expect(Math.abs(row.createdAt.getTime() - started)).toBeLessThan(60_000);
      }
    });

    it("refuses a key revoked in one process at the other's next call", async () => {
      const { a, b } = processes;
      const { key, apiKey } = await a.asUser.apiKeys.create({ name: "Soon revoked" });
      expect((await call(b, key)).status).toBe(404);
      await a.asUser.apiKeys.revoke({ id: apiKey.id });
      const refused = await call(b, key);
      expect(refused.status).toBe(401);
      expect((await refused.json()).error.message).toBe("This API key was revoked");
    });
  });
}
