import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDataDatabase } from "@/server/db/data-db";
import { PG_TEST_URL, mysqlFactory, postgresFactory, requireTestServer } from "@/server/objectql/test-support/test-databases";
import { ensureRecordHistoryTables } from "./record-history";
import { defineRecordHistorySuite } from "./record-history.suite";

const postgresDown = await requireTestServer("postgres");
const mysqlReason = await requireTestServer("mysql");

describe.skipIf(postgresDown !== null)("postgres", () => {
  defineRecordHistorySuite(postgresFactory());
});

describe.skipIf(mysqlReason !== null)("mysql", () => {
  defineRecordHistorySuite(mysqlFactory());
});

describe.skipIf(postgresDown !== null)("postgres, several processes starting at once", () => {
  it("create the audit tables on a new schema without racing on the catalog", async () => {
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: PG_TEST_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    // Separate handles (pools) on one schema, as separate web processes have.
    const handles = Array.from({ length: 4 }, () => createDataDatabase(`${PG_TEST_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`));
    try {
      const results = await Promise.allSettled(handles.map((db) => ensureRecordHistoryTables(db)));
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      const { rows } = await admin.query(`select indexname from pg_indexes where schemaname = $1 order by indexname`, [schema]);
      expect(rows.map((row: { indexname: string }) => row.indexname)).toEqual(expect.arrayContaining(["_os_field_history_at", "_os_field_history_record", "_os_record_event_at", "_os_record_event_record"]));
    } finally {
      await Promise.all(handles.map((db) => db.destroy()));
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
  });
});
