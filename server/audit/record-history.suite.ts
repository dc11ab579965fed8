import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PlatformDb } from "@/server/db/platform-db";
import { createObjectQL, type ObjectQL, type SecurityContext } from "@/server/objectql/objectql";
import { Harness, company, defineObject } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "@/server/objectql/test-support/test-databases";
import { RECORD_SHARE_TABLE } from "@/server/objectql/schema/applied-schema-store";
import { FIELD_HISTORY_TABLE, RECORD_EVENT_TABLE, ensureRecordHistoryTables, recordHistoryHandler } from "./record-history";
import { listFieldHistory, listRecordEvents, recordFieldHistory } from "./record-history-query";

const deal = defineObject({
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "title", label: "Title", type: "text", required: true },
    { id: "d2", name: "stage", label: "Stage", type: "select", options: [{ value: "new", label: "New" }, { value: "won", label: "Won" }, { value: "lost", label: "Lost" }] },
    { id: "d3", name: "amount", label: "Amount", type: "currency", scale: 2 },
    { id: "d4", name: "notes", label: "Notes", type: "textarea" },
    { id: "d5", name: "closes_at", label: "Closes at", type: "datetime" },
    { id: "d6", name: "meta", label: "Meta", type: "json" },
    { id: "d7", name: "tags", label: "Tags", type: "multiselect", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] },
    { id: "d8", name: "account", label: "Account", type: "lookup", reference: "company" },
    { id: "d9", name: "won", label: "Won", type: "boolean" },
  ],
});

const TRACKED: Record<string, string[]> = { deal: ["stage", "amount", "closes_at", "meta", "tags", "account", "won", "unknown_field"] };

const alice: SecurityContext = { kind: "user", userId: "user-alice", role: "user" };
const bob: SecurityContext = { kind: "user", userId: "user-bob", role: "user" };

/** Only what the history queries ask of the platform database: users by id or email. */
const users = [
  { id: "user-alice", email: "alice@example.com", name: "Alice" },
  { id: "user-bob", email: "bob@example.com", name: "Bob" },
];
const platformDb = {
  user: {
    findMany: async ({ where }: { where: { id?: { in: string[] }; OR?: [{ id: string }, { email: { contains: string } }, { name: { contains: string } }] } }) =>
      where.id ? users.filter((user) => where.id!.in.includes(user.id))
        : users.filter((user) => user.id === where.OR![0].id || user.email.includes(where.OR![1].email.contains) || user.name.includes(where.OR![2].name.contains)),
  },
} as unknown as PlatformDb;

/** The record audit trail written through ObjectQL's onChange, on SQLite (unit), PostgreSQL and MySQL (int). */
export function defineRecordHistorySuite(factory: DatabaseFactory): void {
  describe(`record history (${factory.dialect})`, () => {
    let test: TestDatabase;
    let h: Harness;
    let ql: ObjectQL;

    async function historyRows(recordId?: string) {
      const { rows } = await listFieldHistory(test.db, platformDb, { page: 1, pageSize: 200, ...(recordId ? { recordId } : {}) });
      return rows.map((row) => ({ recordId: row.recordId, field: row.field, oldValue: row.oldValue, newValue: row.newValue, actor: row.actor?.id ?? null }));
    }

    async function count(table: string): Promise<number> {
      const result = await sql<{ n: number | string }>`select count(*) as n from ${sql.id(table)}`.execute(test.db.kysely);
      return Number(result.rows[0].n);
    }

    beforeEach(async () => {
      test = await factory.create();
      h = new Harness(test.db);
      await h.sync(company);
      await h.sync(deal);
      ql = createObjectQL({ db: test.db, registry: h.registry, onChange: await recordHistoryHandler(test.db, (object) => TRACKED[object] ?? []) });
    });
    afterEach(async () => {
      await test.cleanup();
    });

    it("records a Created. row and a create event, then old and new values of tracked fields only", async () => {
      const acme = await ql.insert(alice, "company", { title: "Acme" });
      const globex = await ql.insert(alice, "company", { title: "Globex" });
      const created = await ql.insert(alice, "deal", {
        title: "Big one", stage: "new", amount: 100.5, notes: "first", closes_at: "2026-03-01T10:00:00Z", meta: { b: 1, a: 2 }, tags: ["a"], account: acme.id, won: false,
      });
      expect(await historyRows(created.id)).toEqual([{ recordId: created.id, field: null, oldValue: null, newValue: null, actor: "user-alice" }]);
      // No tracked fields on company: no field history, but its records' creations are events.
      expect(await historyRows(acme.id)).toEqual([]);
      const events = await listRecordEvents(test.db, platformDb, { page: 1, pageSize: 50 });
      expect(events.total).toBe(3);
      expect(events.rows.map((row) => [row.object, row.kind, row.actor?.email])).toContainEqual(["deal", "create", "alice@example.com"]);

      await ql.update(bob, "deal", created.id, {
        stage: "won", amount: 250, notes: "untracked change", closes_at: "2026-03-01T10:00:00.000Z", meta: { a: 2, b: 1 }, tags: ["a", "b"], account: globex.id, won: true,
      });
      const rows = await historyRows(created.id);
      const changed = rows.filter((row) => row.field !== null).sort((x, y) => String(x.field).localeCompare(String(y.field)));
      // Same instant and same JSON in another key order are no change; notes is not tracked.
      expect(changed).toEqual([
        { recordId: created.id, field: "account", oldValue: acme.id, newValue: globex.id, actor: "user-bob" },
        { recordId: created.id, field: "amount", oldValue: 100.5, newValue: 250, actor: "user-bob" },
        { recordId: created.id, field: "stage", oldValue: "new", newValue: "won", actor: "user-bob" },
        { recordId: created.id, field: "tags", oldValue: ["a"], newValue: ["a", "b"], actor: "user-bob" },
        { recordId: created.id, field: "won", oldValue: false, newValue: true, actor: "user-bob" },
      ]);

      // Clearing a value records null as the new value; setting the same value again records nothing.
      await ql.update(alice, "deal", created.id, { amount: null, stage: "won" });
      const latest = (await historyRows(created.id))[0];
      expect(latest).toEqual({ recordId: created.id, field: "amount", oldValue: 250, newValue: null, actor: "user-alice" });
      expect(await count(FIELD_HISTORY_TABLE)).toBe(7);
    });

    it("keeps no history of a write that rolls back", async () => {
      const record = await ql.insert(alice, "deal", { title: "Rolled back", stage: "new" });
      const before = [await count(FIELD_HISTORY_TABLE), await count(RECORD_EVENT_TABLE)];
      await expect(
        ql.transaction(alice, async (tx) => {
          await tx.update(alice, "deal", record.id, { stage: "won" });
          await tx.insert(alice, "deal", { title: "Also rolled back" });
          await tx.delete(alice, "deal", record.id);
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect([await count(FIELD_HISTORY_TABLE), await count(RECORD_EVENT_TABLE)]).toEqual(before);
      // A write refused by validation leaves nothing either.
      await expect(ql.update(alice, "deal", record.id, { stage: "nope" })).rejects.toThrow();
      expect([await count(FIELD_HISTORY_TABLE), await count(RECORD_EVENT_TABLE)]).toEqual(before);
      expect((await ql.findOne(alice, "deal", record.id))?.stage).toBe("new");
    });

    it("records one row per record and changed field for bulk writes", async () => {
      const rows = Array.from({ length: 1200 }, (_, index) => ({ title: `Deal ${index}`, stage: index % 2 === 0 ? "new" : "won", amount: index }));
      const { ids } = await ql.insertMany(alice, "deal", rows);
      expect(await count(RECORD_EVENT_TABLE)).toBe(1200);
      expect(await count(FIELD_HISTORY_TABLE)).toBe(1200); // one "Created." row each

      await ql.updateMany(bob, "deal", ids, { stage: "won", amount: 7, notes: "bulk" });
      // amount changed on every record except the one that had 7; stage only on the "new" half.
      expect(await count(FIELD_HISTORY_TABLE)).toBe(1200 + 1199 + 600);
      const one = await historyRows(ids[0]);
      expect(one.filter((row) => row.field !== null).map((row) => [row.field, row.oldValue, row.newValue]).sort()).toEqual([["amount", 0, 7], ["stage", "new", "won"]]);
    });

    it("records deletions with a snapshot of the record", async () => {
      const record = await ql.insert(alice, "deal", { title: "Doomed", stage: "lost", amount: 3 });
      await ql.delete(bob, "deal", record.id);
      const { rows } = await listRecordEvents(test.db, platformDb, { kind: "delete", page: 1, pageSize: 10 });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ object: "deal", recordId: record.id, kind: "delete", actor: { id: "user-bob", email: "bob@example.com" } });
      expect(rows[0].snapshot).toMatchObject({ id: record.id, title: "Doomed", stage: "lost", amount: 3, created_by: "user-alice" });
    });

    it("records the deletion of master-detail children (and grandchildren) deleted with their parent, and drops their shares", async () => {
      const line = defineObject({
        name: "deal_line",
        label: "Deal line",
        pluralLabel: "Deal lines",
        fields: [
          { id: "l1", name: "title", label: "Title", type: "text", required: true },
          { id: "l2", name: "deal", label: "Deal", type: "master_detail", reference: "deal" },
        ],
      });
      const note = defineObject({
        name: "line_note",
        label: "Line note",
        pluralLabel: "Line notes",
        fields: [
          { id: "n1", name: "title", label: "Title", type: "text", required: true },
          { id: "n2", name: "line", label: "Line", type: "master_detail", reference: "deal_line" },
        ],
      });
      await h.sync(line);
      await h.sync(note);
      const doomed = await ql.insert(alice, "deal", { title: "Doomed", stage: "lost" });
      const kept = await ql.insert(alice, "deal", { title: "Kept", stage: "new" });
      const [first, second, other] = [
        await ql.insert(alice, "deal_line", { title: "First", deal: doomed.id }),
        await ql.insert(alice, "deal_line", { title: "Second", deal: doomed.id }),
        await ql.insert(alice, "deal_line", { title: "Other", deal: kept.id }),
      ];
      const grandchild = await ql.insert(alice, "line_note", { title: "Note", line: second.id });
      const now = test.db.dialect === "mysql" ? new Date().toISOString().slice(0, 23).replace("T", " ") : new Date().toISOString();
      for (const recordId of [first.id, other.id]) {
        await test.db.kysely.insertInto(RECORD_SHARE_TABLE).values({ object: "deal_line", record_id: recordId, principal: "user:user-bob", access: "read", created_by: "test", created_at: now }).execute();
      }

      await ql.delete(bob, "deal", doomed.id);
      const { rows } = await listRecordEvents(test.db, platformDb, { kind: "delete", page: 1, pageSize: 10 });
      expect(rows.map((row) => `${row.object}:${row.recordId}`).sort()).toEqual(
        [`deal:${doomed.id}`, `deal_line:${first.id}`, `deal_line:${second.id}`, `line_note:${grandchild.id}`].sort(),
      );
      expect(rows.every((row) => row.actor?.id === "user-bob")).toBe(true);
      expect(rows.find((row) => row.recordId === second.id)?.snapshot).toMatchObject({ title: "Second", deal: doomed.id });
      const shares = await test.db.kysely.selectFrom(RECORD_SHARE_TABLE).select("record_id").execute();
      expect(shares.map((share) => share.record_id)).toEqual([other.id]);
      expect((await ql.find(alice, { object: "deal_line" })).records.map((record) => record.id)).toEqual([other.id]);
    });

    it("records a tracked lookup the database clears because the record it pointed at was deleted", async () => {
      const acme = await ql.insert(alice, "company", { title: "Acme" });
      const deal1 = await ql.insert(alice, "deal", { title: "With Acme", account: acme.id });
      await ql.insert(alice, "deal", { title: "Without" });
      await ql.delete(bob, "company", acme.id);
      expect((await historyRows(deal1.id)).filter((row) => row.field !== null)).toEqual([{ recordId: deal1.id, field: "account", oldValue: acme.id, newValue: null, actor: "user-bob" }]);
      expect((await ql.findOne(alice, "deal", deal1.id))?.account).toBeNull();
      expect(await count(FIELD_HISTORY_TABLE)).toBe(3); // the two deals' "Created." rows and the cleared account
    });

    it("records ownership transfers whether or not fields are tracked, in the transfer's transaction", async () => {
      const acme = await ql.insert(alice, "company", { title: "Acme" });
      await ql.changeOwner(alice, "company", acme.id, "user-bob");
      await ql.changeOwner(bob, "company", acme.id, "user-bob"); // to the same owner: nothing to record
      expect(await historyRows(acme.id)).toEqual([{ recordId: acme.id, field: "owner_id", oldValue: "user-alice", newValue: "user-bob", actor: "user-alice" }]);
      expect((await ql.findOne(bob, "company", acme.id))?.owner_id).toBe("user-bob");
      await expect(ql.changeOwner(alice, "company", "missing", "user-bob")).rejects.toMatchObject({ code: "NOT_FOUND" });
      // A transfer inside a transaction that fails leaves neither the owner nor its history.
      await expect(ql.transaction(alice, async (tx) => {
        await tx.changeOwner(alice, "company", acme.id, "user-alice");
        throw new Error("changed my mind");
      })).rejects.toThrow("changed my mind");
      expect((await ql.findOne(bob, "company", acme.id))?.owner_id).toBe("user-bob");
      expect(await historyRows(acme.id)).toHaveLength(1);
    });

    it("filters, pages and limits the history to readable fields", async () => {
      const first = await ql.insert(alice, "deal", { title: "One", stage: "new" });
      const second = await ql.insert(alice, "deal", { title: "Two", stage: "new" });
      await ql.update(alice, "deal", first.id, { stage: "won", amount: 1 });
      await ql.update(bob, "deal", second.id, { stage: "lost" });

      const byField = await listFieldHistory(test.db, platformDb, { field: "stage", page: 1, pageSize: 1 });
      expect(byField.total).toBe(2);
      expect(byField.rows).toHaveLength(1);
      expect(byField.rows[0]).toMatchObject({ recordId: second.id, newValue: "lost" }); // newest first
      const page2 = await listFieldHistory(test.db, platformDb, { field: "stage", page: 2, pageSize: 1 });
      expect(page2.rows[0]).toMatchObject({ recordId: first.id, newValue: "won" });

      expect((await listFieldHistory(test.db, platformDb, { user: "bob@", page: 1, pageSize: 50 })).rows.map((row) => row.recordId)).toEqual([second.id]);
      expect((await listFieldHistory(test.db, platformDb, { user: "nobody", page: 1, pageSize: 50 })).total).toBe(0);
      expect((await listFieldHistory(test.db, platformDb, { object: "deal", recordId: first.id, page: 1, pageSize: 50 })).total).toBe(3);
      expect((await listFieldHistory(test.db, platformDb, { from: "2000-01-01", to: "2000-01-02", page: 1, pageSize: 50 })).total).toBe(0);
      const today = new Date().toISOString().slice(0, 10);
      expect((await listFieldHistory(test.db, platformDb, { from: today, to: today, page: 1, pageSize: 50 })).total).toBe(5);

      const visible = await recordFieldHistory(test.db, platformDb, "deal", first.id, ["title", "stage"]);
      expect(visible.rows.map((row) => row.field)).toEqual(["stage", null]);
      expect(visible.more).toBe(false);
    });

    it("creates its tables once per database handle, idempotently", async () => {
      await ensureRecordHistoryTables(test.db);
      await ensureRecordHistoryTables(test.db);
      expect(await h.columns(FIELD_HISTORY_TABLE)).toEqual(["id", "object", "record_id", "field", "old_value", "new_value", "actor", "at"]);
      expect(await h.columns(RECORD_EVENT_TABLE)).toEqual(["id", "object", "record_id", "kind", "actor", "at", "snapshot"]);
    });
  });
}
