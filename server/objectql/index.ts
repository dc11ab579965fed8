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
} from "./objectql";
export {
  loadAppliedObjects,
  planSchemaSync,
  syncObjectSchema,
  type SchemaPlan,
  type SchemaStep,
  type SchemaStepKind,
  type SyncObjectSchemaOptions,
} from "./schema-sync";
export { validateRecordInput } from "./record-validation";
export { classifyTypeChange, columnSqlType, type StorageKind, type TypeChange } from "./column-types";
export { operatorsFor } from "./filter-compiler";
