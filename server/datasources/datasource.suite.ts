import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatasourceDriver } from "@/spec/datasource";
import { createDataDatabase } from "@/server/db/data-db";
import { ObjectQLError } from "@/server/objectql/errors";
import { syncObjectSchema } from "@/server/objectql/schema/sync";
import type { ObjectQL, SecurityContext } from "@/server/objectql/objectql";
import { DatasourceRegistry } from "./datasource-registry";
import type { ExternalDatabase } from "./test-support/external-databases";

/**
 * External data sources, run against a SQLite file (unit) and a PostgreSQL schema and a
 * MariaDB database (int): the test creates three related tables (and one without a primary
 * key) with the database's own DDL, introspects them and queries them through ObjectQL.
 */

const ctx: SecurityContext = { kind: "user", userId: "u1", role: "admin" };

function ddl(driver: DatasourceDriver): string[] {
  const q = (name: string) => (driver === "mysql" ? `\`${name}\`` : `"${name}"`);
  const bool = driver === "mysql" ? "tinyint(1)" : "boolean";
  const ts = driver === "mysql" ? "datetime" : "timestamp";
  const engine = driver === "mysql" ? " engine = InnoDB" : "";
  return [
    `create table departments (id integer primary key, name varchar(100) not null, budget decimal(12, 2))${engine}`,
    `create table ${q("Employees")} (emp_id integer primary key, ${q("FullName")} varchar(200) not null, email varchar(255), dept_id integer references departments (id), active ${bool}, hired_on date, ${q("order")} integer, constraint fk_emp_dept foreign key (dept_id) references departments (id))${engine}`,
    `create table projects (code varchar(20) primary key, title text, lead_id integer, started_at ${ts}, constraint fk_project_lead foreign key (lead_id) references ${q("Employees")} (emp_id))${engine}`,
    `create table audit_log (happened_at ${ts}, message text)${engine}`,
    `insert into departments (id, name, budget) values (1, 'Engineering', 1000.50), (2, 'Sales', 20.00)`,
    `insert into ${q("Employees")} (emp_id, ${q("FullName")}, email, dept_id, active, hired_on, ${q("order")}) values
      (10, 'Ann Lee', 'ann@example.com', 1, ${driver === "sqlite" ? 1 : "true"}, '2020-01-05', 3),
      (11, 'bob Smith', 'bob@example.com', 2, ${driver === "sqlite" ? 0 : "false"}, '2021-06-30', 1),
      (12, 'Cara', null, 1, ${driver === "sqlite" ? 1 : "true"}, null, 2)`,
    `insert into projects (code, title, lead_id, started_at) values ('P1', 'Apollo', 10, '2024-01-01 10:00:00'), ('P2', 'Zephyr', 12, null), ('P3', 'Orphan', null, null)`,
  ];
}

export function defineDatasourceSuite(driver: DatasourceDriver, create: () => Promise<ExternalDatabase>): void {
  describe(`external data source (${driver})`, () => {
    let external: ExternalDatabase;
    let registry: DatasourceRegistry;
    let ql: ObjectQL;

    beforeAll(async () => {
      external = await create();
      for (const statement of ddl(driver)) await external.exec(statement);
      registry = new DatasourceRegistry();
      await registry.register(external.datasource);
      ql = await registry.objectql(external.datasource.name!);
    });
    afterAll(async () => {
      await registry?.close();
      await external?.cleanup();
    });

    it("introspects tables, columns, primary keys and foreign keys into object drafts", async () => {
      const result = await registry.introspect(external.datasource.name!);
      expect(result.objects.map((object) => object.name).sort()).toEqual(["departments", "employees", "projects"]);
      expect(result.skipped).toContainEqual({ table: "audit_log", reason: "no primary key" });
      const employees = result.objects.find((object) => object.name === "employees")!;
      expect(employees.source).toEqual({
        datasource: external.datasource.name,
        table: "Employees",
        primaryKey: "emp_id",
        columns: { full_name: "FullName", order_c: "order" },
      });
      expect(employees.fields.map((field) => [field.name, field.type])).toEqual([
        ["full_name", "text"], ["email", "text"], ["dept_id", "lookup"], ["active", "boolean"], ["hired_on", "date"], ["order_c", "number"],
      ]);
      expect(employees.fields.find((field) => field.name === "dept_id")).toMatchObject({ type: "lookup", reference: "departments" });
      const projects = result.objects.find((object) => object.name === "projects")!;
      expect(projects.fields.map((field) => [field.name, field.type])).toEqual([["title", "textarea"], ["lead_id", "lookup"], ["started_at", "datetime"]]);
      const departments = result.objects.find((object) => object.name === "departments")!;
      expect(departments.nameField).toBe("name");
      expect(departments.fields.find((field) => field.name === "budget")).toMatchObject({ type: "number", scale: 2 });
    });

    it("queries external records through ObjectQL: filter, sort, search, lookup names", async () => {
      const engineers = await ql.find(ctx, {
        object: "employees",
        filter: { and: [{ field: "dept_id", operator: "=", value: "1" }, { field: "active", operator: "=", value: true }] },
        orderBy: [{ field: "full_name", direction: "desc" }],
      });
      expect(engineers.records.map((record) => [record.id, record.full_name, record.dept_id, record.active])).toEqual([
        ["12", "Cara", { id: "1", name: "Engineering" }, true],
        ["10", "Ann Lee", { id: "1", name: "Engineering" }, true],
      ]);
      expect((await ql.find(ctx, { object: "employees", filter: { field: "full_name", operator: "contains", value: "SMITH" } })).records.map((r) => r.id)).toEqual(["11"]);
      expect((await ql.find(ctx, { object: "employees", search: "EXAMPLE.com", orderBy: [{ field: "order_c", direction: "asc" }] })).records.map((r) => r.id)).toEqual(["11", "10"]);
      const byDepartment = await ql.find(ctx, { object: "employees", orderBy: [{ field: "dept_id", direction: "desc" }, { field: "hired_on", direction: "asc" }] });
      expect(byDepartment.records.map((record) => record.full_name)).toEqual(["bob Smith", "Ann Lee", "Cara"]);
      const projects = await ql.find(ctx, { object: "projects", orderBy: [{ field: "title", direction: "asc" }] });
      expect(projects.records.map((record) => [record.id, record.title, record.lead_id])).toEqual([
        ["P1", "Apollo", { id: "10", name: "Ann Lee" }],
        ["P3", "Orphan", null],
        ["P2", "Zephyr", { id: "12", name: "Cara" }],
      ]);
      expect(await ql.count(ctx, { object: "projects", filter: { field: "lead_id", operator: "is_not_null" } })).toBe(2);
      expect(await ql.findOne(ctx, "employees", "11")).toMatchObject({ id: "11", full_name: "bob Smith", hired_on: "2021-06-30", active: false, order_c: 1 });
      expect(await ql.findOne(ctx, "departments", "1")).toMatchObject({ name: "Engineering", budget: 1000.5 });
    });

    it("follows lookups in dotted paths, aggregates and related lists", async () => {
      const engineers = await ql.find(ctx, {
        object: "projects",
        select: ["title", "lead_id.full_name", "lead_id.dept_id.name"],
        filter: { field: "lead_id.dept_id.name", operator: "=", value: "Engineering" },
        orderBy: [{ field: "lead_id.full_name", direction: "asc" }],
      });
      expect(engineers.records.map((record) => record.title)).toEqual(["Apollo", "Zephyr"]);
      const perDepartment = await ql.aggregate(ctx, {
        object: "employees",
        groupBy: [{ field: "dept_id.name", alias: "department" }],
        aggregate: [{ function: "count", alias: "people" }, { function: "sum", field: "order_c", alias: "orders" }],
        orderBy: [{ field: "department", direction: "asc" }],
      });
      expect(perDepartment.rows).toEqual([
        { department: "Engineering", people: 2, orders: 5 },
        { department: "Sales", people: 1, orders: 1 },
      ]);
      const withStaff = await ql.find(ctx, {
        object: "departments",
        orderBy: [{ field: "name", direction: "asc" }],
        expand: [{ relation: "employees.dept_id", orderBy: [{ field: "full_name", direction: "asc" }] }],
      });
      expect(withStaff.records.map((record) => (record["employees.dept_id"] as { full_name: string }[]).map((child) => child.full_name))).toEqual([["Ann Lee", "Cara"], ["bob Smith"]]);
    });

    it("enforces read-only in the database connection too", async () => {
      const connection = registry.connection(external.datasource.name!);
      const table = external.datasource.schema ? `${external.datasource.schema}.departments` : "departments";
      await expect(connection.kysely.insertInto(table).values({ id: 3, name: "Ops" }).execute()).rejects.toThrow(/read.?only/i);
    });

    it("pages through external records with a cursor (default order: the primary key)", async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ql.find(ctx, { object: "employees", limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.records.map((record) => record.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(["10", "11", "12"]);
      const sorted: string[] = [];
      cursor = undefined;
      do {
        const page = await ql.find(ctx, { object: "employees", limit: 1, orderBy: [{ field: "hired_on", direction: "desc" }], ...(cursor ? { cursor } : {}) });
        sorted.push(...page.records.map((record) => record.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(sorted).toEqual(["12", "11", "10"]);
    });

    it("keeps external objects out of schema sync", async () => {
      const { objects } = await registry.introspect(external.datasource.name!);
      const db = createDataDatabase(":memory:");
      try {
        const error = await syncObjectSchema(db, objects[0], { allObjects: objects }).then(() => null, (caught: unknown) => caught);
        expect((error as ObjectQLError).code).toBe("BAD_REQUEST");
        expect((error as ObjectQLError).message).toMatch(/external tables are not created or changed/);
      } finally {
        await db.destroy();
      }
    });

    it("refuses writes: external objects are read-only", async () => {
      const error = await ql.insert(ctx, "departments", { name: "Ops" }).then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(ObjectQLError);
      expect((error as ObjectQLError).code).toBe("FORBIDDEN");
      expect((error as ObjectQLError).message).toMatch(/read-only/);
      const inTransaction = await ql
        .transaction(ctx, (tx) => tx.update(ctx, "departments", "1", { name: "Renamed" }))
        .then(() => null, (caught: unknown) => caught);
      expect((inTransaction as ObjectQLError).code).toBe("FORBIDDEN");
      expect(await ql.findOne(ctx, "departments", "1")).toMatchObject({ name: "Engineering" });
    });

    it("answers a database that lost a table with a clear error naming the source, not a crash", async () => {
      await external.exec("drop table projects");
      const error = await ql.find(ctx, { object: "projects" }).then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(ObjectQLError);
      expect((error as ObjectQLError).code).toBe("PRECONDITION_FAILED");
      expect((error as ObjectQLError).message).toContain(`Data source '${external.datasource.name}' could not answer`);
    });
  });
}
