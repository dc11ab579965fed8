/** The data layer for user-defined objects: engine, schema sync, registry, validation. */
export { ObjectQLError, isObjectQLError, type ObjectQLErrorCode, type ObjectQLIssue } from "./errors";
export { ObjectRegistry } from "./registry";
export {
  createObjectQL,
  type CountQueryInput,
  type DataRecord,
  type LookupValue,
  type ObjectQL,
  type SecurityContext,
  type UpdateOptions,
  type BeforeSaveHook,
  type RecordChange,
  STALE_RECORD_MESSAGE,
} from "./objectql";
export { type ExplainResult } from "./query/explain";
export { SlowQueryLog, slowQueryLog, queryShape, DEFAULT_SLOW_QUERY_MS, type QueryShape, type SlowQueryEntry } from "./query/slow-query-log";
export { previewFormula, checkFormula, parseFormula, FormulaError, type FormulaValue } from "./formula";
export {
  loadAppliedObjects,
  planSchemaSync,
  syncObjectSchema,
  type SchemaPlan,
  type SchemaStep,
  type SchemaStepKind,
  type SyncObjectSchemaOptions,
} from "./schema/sync";
export { validateRecordInput } from "./records/validation";
export { classifyTypeChange, columnSqlType, type StorageKind, type TypeChange } from "./schema/column-types";
export { operatorsFor } from "./query/filter-compiler";
export { relativeDateRange, bucketStart, type DayRange } from "./query/relative-dates";
export type { SqlDialect } from "./dialect-sql";
export { refreshStatistics, refreshStatisticsLater } from "./schema/statistics";
