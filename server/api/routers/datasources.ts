import "server-only";
import { z } from "zod";
import { identifier, isReferenceField, type ObjectDef } from "@/spec";
import { ServiceError } from "@/server/errors";
import { adminProcedure, createTRPCRouter } from "../trpc";

/** Attached external data sources: studio only, so every procedure requires an admin. */
export const datasourcesRouter = createTRPCRouter({
  /** Published data sources, with the objects already imported from each. */
  list: adminProcedure.query(({ ctx }) =>
    ctx.services.datasources.list().map((datasource) => ({
      ...datasource,
      objects: ctx.services.externalObjects.list(datasource.name).map((object) => object.name),
    })),
  ),

  /** Reads the source's catalogue again: tables, object drafts, and what could not be mapped. */
  introspect: adminProcedure.input(z.object({ name: identifier })).query(async ({ ctx, input }) => {
    const result = await ctx.services.datasources.refresh(input.name);
    const imported = new Map(ctx.services.externalObjects.list(input.name).map((object) => [object.source?.table, object.name]));
    return {
      tables: result.tables.map((table) => ({
        name: table.name,
        columns: table.columns.length,
        object: result.objects.find((object) => object.source?.table === table.name)?.name ?? null,
        importedAs: imported.get(table.name) ?? null,
      })),
      objects: result.objects,
      skipped: result.skipped,
    };
  }),

  /**
   * Creates and publishes one `object` document per table, carrying its `source`. Lookups to
   * tables that are neither imported now nor before are left out (and listed in `skipped`).
   */
  importObjects: adminProcedure
    .input(z.object({ datasource: identifier, tables: z.array(z.string().min(1).max(128)).min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { datasources, externalObjects, metadata } = ctx.services;
      const result = await datasources.introspect(input.datasource);
      const drafts: ObjectDef[] = [];
      for (const table of new Set(input.tables)) {
        const draft = result.objects.find((object) => object.source?.table === table);
        if (!draft) {
          const reason = result.skipped.find((entry) => entry.table === table && !entry.column)?.reason ?? "no such table";
          throw new ServiceError("BAD_REQUEST", `Cannot import table '${table}' of data source '${input.datasource}': ${reason}`, [
            { path: ["tables"], message: `'${table}': ${reason}` },
          ]);
        }
        drafts.push(draft);
      }
      const existing = new Set((await metadata.list("object")).map((document) => document.name));
      const taken = drafts.filter((draft) => existing.has(draft.name)).map((draft) => draft.name);
      if (taken.length > 0) {
        throw new ServiceError("CONFLICT", `Objects named ${taken.map((name) => `'${name}'`).join(", ")} already exist`, [
          { path: ["tables"], message: `already taken: ${taken.join(", ")}` },
        ]);
      }
      const available = new Set([...drafts.map((draft) => draft.name), ...externalObjects.list(input.datasource).map((object) => object.name)]);
      const skipped: { table: string; column?: string; reason: string }[] = [];
      const imported: { name: string; table: string; version: number }[] = [];
      for (const draft of drafts) {
        const fields = draft.fields.filter((field) => {
          if (!isReferenceField(field) || available.has(field.reference)) return true;
          skipped.push({ table: draft.source?.table ?? draft.name, column: field.name, reason: `refers to table of object '${field.reference}', which is not imported` });
          return false;
        });
        // Records are named by the draft's name field, else the first text-like column (long text included).
        const nameField = fields.some((field) => field.name === draft.nameField)
          ? draft.nameField
          : fields.find((field) => ["text", "email", "url", "phone", "textarea"].includes(field.type))?.name;
        const body = { ...draft, fields, nameField };
        await metadata.create("object", body, ctx.user.id);
        const { version } = await metadata.publish("object", draft.name, { note: `Imported from data source '${input.datasource}'` }, ctx.user.id);
        imported.push({ name: draft.name, table: draft.source?.table ?? draft.name, version });
      }
      return { imported, skipped };
    }),
});
