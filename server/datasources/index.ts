/** External data sources: connections, introspection into objects, ObjectQL over their tables. */
export { DatasourceRegistry } from "./datasource-registry";
export { openDatasource, type DatasourceConnection } from "./datasource-connection";
export { introspect, type ExternalColumn, type ExternalForeignKey, type ExternalTable, type IntrospectionResult } from "./introspect";
export { ExternalNamesPlugin } from "./external-names-plugin";
export { ExternalObjects } from "./external-objects";
export { DatasourceSync } from "./datasource-sync";
export { deleteDatasource, importedObjects, type ImportedObject } from "./datasource-deletion";
export { missingSources } from "./source-check";
