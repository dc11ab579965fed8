import "server-only";
import { z } from "zod";
import { identifier, isReferenceField, type FieldDef, type ObjectDef } from "@/spec";
import { deleteDatasource, importedObjects } from "@/server/datasources";
import { ServiceError } from "@/server/errors";
import type { Services } from "@/server/services";
import { adminProcedure, createTRPCRouter } from "../trpc";

/** A data source this process may not have heard of yet (published by another process): check at once. */
async function attached(services: Services, name: string): Promise<void> {
  if (!services.datasources.get(name)) await services.publishedChanges.ensureCurrent();
}

const objectChoice = z.object({
  /** The object's API name (default: derived from the table's name). */
  name: identifier.optional(),
  /** Its label and plural label (default: the table's name in words). */
  label: z.string().trim().min(1, "is required").max(120).optional(),
});

/** Attached external data sources: studio only, so every procedure requires an admin. */
export const datasourcesRouter = createTRPCRouter({
  /** Published data sources, with the objects already imported from each. */
  list: adminProcedure.query(async ({ ctx }) => {
    await ctx.services.publishedChanges.ensureCurrent();
    return ctx.services.datasources.list().map((datasource) => ({
      ...datasource,
      objects: ctx.services.externalObjects.list(datasource.name).map((object) => object.name),
    }));
  }),

  /** The objects (published or draft) that read this data source: they must go before it can be deleted. */
  importedObjects: adminProcedure
    .input(z.object({ name: identifier }))
    .query(({ ctx, input }) => importedObjects(ctx.services.platformDb, input.name)),

  /** Reads the source's catalogue again: tables, object drafts, and what could not be mapped. */
  introspect: adminProcedure.input(z.object({ name: identifier })).query(async ({ ctx, input }) => {
    await attached(ctx.services, input.name);
    const result = await ctx.services.datasources.refresh(input.name);
    const imported = new Map(ctx.services.externalObjects.list(input.name).map((object) => [object.source?.table, object.name]));
    return {
      tables: result.tables.map((table) => {
        const draft = result.objects.find((object) => object.source?.table === table.name);
        return {
          name: table.name,
          columns: table.columns.length,
          object: draft?.name ?? null,
          label: draft?.label ?? null,
          importedAs: imported.get(table.name) ?? null,
        };
      }),
      objects: result.objects,
      skipped: result.skipped,
    };
  }),

  /**
   * Creates and publishes one `object` document per table, carrying its `source`, named as the
   * admin chose in `rename` (by table) or as introspection suggests. Lookups follow the names
   * chosen; lookups to tables that are neither imported now nor before are left out (and listed
   * in `skipped`). Every name is checked before anything is created.
   */
  importObjects: adminProcedure
    .input(
      z.object({
        datasource: identifier,
        tables: z.array(z.string().min(1).max(128)).min(1).max(200),
        rename: z.record(z.string().min(1).max(128), objectChoice).default({}),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { datasources, externalObjects, metadata } = ctx.services;
      await attached(ctx.services, input.datasource);
      const result = await datasources.introspect(input.datasource);
      const tables = [...new Set(input.tables)];
      for (const table of Object.keys(input.rename)) {
        if (!tables.includes(table)) {
          throw new ServiceError("BAD_REQUEST", `Cannot rename table '${table}': it is not among the tables to import`, [
            { path: ["rename", table], message: "is not among the tables to import" },
          ]);
        }
      }
      const chosen: { table: string; draft: ObjectDef }[] = [];
      for (const table of tables) {
        const draft = result.objects.find((object) => object.source?.table === table);
        if (!draft) {
          const reason = result.skipped.find((entry) => entry.table === table && !entry.column)?.reason ?? "no such table";
          throw new ServiceError("BAD_REQUEST", `Cannot import table '${table}' of data source '${input.datasource}': ${reason}`, [
            { path: ["tables"], message: `'${table}': ${reason}` },
          ]);
        }
        const { name, label } = input.rename[table] ?? {};
        chosen.push({ table, draft: { ...draft, ...(name ? { name } : {}), ...(label ? { label, pluralLabel: label } : {}) } });
      }
      // Where a name was chosen, errors name that input; else the table list.
      const pathOf = (table: string) => (input.rename[table]?.name ? ["rename", table, "name"] : ["tables"]);
      const seen = new Map<string, string>();
      for (const { table, draft } of chosen) {
        const other = seen.get(draft.name);
        if (other !== undefined) {
          throw new ServiceError("BAD_REQUEST", `Tables '${other}' and '${table}' would both become object '${draft.name}'`, [
            { path: pathOf(table), message: `'${draft.name}' is already chosen for table '${other}'` },
          ]);
        }
        seen.set(draft.name, table);
      }
      const existing = new Set((await metadata.list("object")).map((document) => document.name));
      const taken = chosen.filter(({ draft }) => existing.has(draft.name));
      if (taken.length > 0) {
        throw new ServiceError("CONFLICT", `Objects named ${taken.map(({ draft }) => `'${draft.name}'`).join(", ")} already exist`,
          taken.map(({ table, draft }) => ({ path: pathOf(table), message: `'${draft.name}' is already taken` })));
      }

      // Lookups name the referenced table's suggested object: point them at its final name.
      const tableOfSuggested = new Map(result.objects.map((object) => [object.name, object.source?.table]));
      const finalName = new Map<string | undefined, string>([
        ...externalObjects.list(input.datasource).map((object) => [object.source?.table, object.name] as const),
        ...chosen.map(({ table, draft }) => [table, draft.name] as const),
      ]);
      const skipped: { table: string; column?: string; reason: string }[] = [];
      const bodies = chosen.map(({ table, draft }) => {
        const fields = draft.fields.flatMap((field): FieldDef[] => {
          if (!isReferenceField(field)) return [field];
          const target = finalName.get(tableOfSuggested.get(field.reference));
          if (target) return [{ ...field, reference: target }];
          skipped.push({ table, column: field.name, reason: `refers to table '${tableOfSuggested.get(field.reference) ?? field.reference}', which is not imported` });
          return [];
        });
        // Records are named by the draft's name field, else the first text-like column (long text included).
        const nameField = fields.some((field) => field.name === draft.nameField)
          ? draft.nameField
          : fields.find((field) => ["text", "email", "url", "phone", "textarea"].includes(field.type))?.name;
        return { table, body: metadata.validate("object", { ...draft, fields, nameField }) };
      });
      const imported: { name: string; table: string; version: number }[] = [];
      for (const { table, body } of bodies) {
        await metadata.create("object", body, ctx.user.id);
        const { version } = await metadata.publish("object", body.name, { note: `Imported from data source '${input.datasource}'` }, ctx.user.id);
        imported.push({ name: body.name, table, version });
      }
      return { imported, skipped };
    }),

  /**
   * Deletes a data source (published or not) and its history. Refused while objects imported
   * from it exist, naming them, unless `deleteObjects` confirms they go too (their external
   * tables are never touched); objects still used by an app or a lookup are never deleted.
   */
  delete: adminProcedure
    .input(z.object({ name: identifier, deleteObjects: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => deleteDatasource(ctx.services, input.name, { deleteObjects: input.deleteObjects })),
});
