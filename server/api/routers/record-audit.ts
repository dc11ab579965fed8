import "server-only";
import { z } from "zod";
import { EXPORT_LIMIT } from "@/server/audit/audit-query";
import { toCsv, type CsvColumn } from "@/server/audit/csv";
import { jsonChanges, listMetadataChanges, metadataChangeCsvColumns, metadataChangeFilterSchema } from "@/server/audit/metadata-changes";
import {
  fieldHistoryCsvColumns,
  fieldHistoryFilterSchema,
  listFieldHistory,
  listRecordEvents,
  recordEventCsvColumns,
  recordEventFilterSchema,
} from "@/server/audit/record-history-query";
import { metadataRef } from "@/spec/metadata";
import { adminProcedure, createTRPCRouter } from "../trpc";

/** A CSV export: the newest EXPORT_LIMIT rows matching the filter, and whether more matched. */
function csvExport<Row>(file: string, list: { rows: Row[]; total: number }, columns: CsvColumn<Row>[]) {
  return {
    fileName: `${file}-${new Date().toISOString().slice(0, 10)}.csv`,
    csv: toCsv(list.rows, columns),
    rows: list.rows.length,
    total: list.total,
    limit: EXPORT_LIMIT,
    capped: list.total > list.rows.length,
  };
}

const exportWindow = { skip: 0, take: EXPORT_LIMIT };

/**
 * The record audit trail (field history, record creations and deletions) and the metadata
 * change history, for admins only. The CSV exports hold at most EXPORT_LIMIT rows, newest first
 * (app/(studio)/studio/audit/export/[log]/route.ts serves them as files).
 */
export const recordAuditRouter = createTRPCRouter({
  /** Changes of tracked fields (and "Created." rows), newest first. */
  fieldHistory: adminProcedure
    .input(fieldHistoryFilterSchema)
    .query(({ ctx, input }) => listFieldHistory(ctx.services.dataDb, ctx.services.platformDb, input)),

  /** Record creations and deletions (a deletion carries the record as it was), newest first. */
  recordEvents: adminProcedure
    .input(recordEventFilterSchema)
    .query(({ ctx, input }) => listRecordEvents(ctx.services.dataDb, ctx.services.platformDb, input)),

  /** Every publish of every metadata document, newest first. */
  metadataChanges: adminProcedure
    .input(metadataChangeFilterSchema)
    .query(({ ctx, input }) => listMetadataChanges(ctx.services.platformDb, input)),

  /** What one publish changed: the leaf paths that differ from the version before it. */
  metadataChange: adminProcedure
    .input(metadataRef.extend({ version: z.number().int().min(1).max(1_000_000) }))
    .query(async ({ ctx, input }) => {
      const after = await ctx.services.metadata.getVersion(input.kind, input.name, input.version);
      const before = input.version > 1 ? await ctx.services.metadata.getVersion(input.kind, input.name, input.version - 1) : null;
      return { ...input, changes: jsonChanges(before ?? {}, after), first: before === null };
    }),

  exportFieldHistory: adminProcedure
    .input(fieldHistoryFilterSchema)
    .query(async ({ ctx, input }) =>
      csvExport("field-history", await listFieldHistory(ctx.services.dataDb, ctx.services.platformDb, input, exportWindow), fieldHistoryCsvColumns),
    ),

  exportRecordEvents: adminProcedure
    .input(recordEventFilterSchema)
    .query(async ({ ctx, input }) =>
      csvExport("record-events", await listRecordEvents(ctx.services.dataDb, ctx.services.platformDb, input, exportWindow), recordEventCsvColumns),
    ),

  exportMetadataChanges: adminProcedure
    .input(metadataChangeFilterSchema)
    .query(async ({ ctx, input }) => csvExport("metadata-changes", await listMetadataChanges(ctx.services.platformDb, input, exportWindow), metadataChangeCsvColumns)),
});
