import {
  AliasNode,
  ColumnNode,
  IdentifierNode,
  OperationNodeTransformer,
  RawNode,
  ReferenceNode,
  SchemableIdentifierNode,
  TableNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import type { ObjectDef } from "@/spec/object";
import { sourceColumnName, sourceTableName, tableName } from "@/server/objectql/schema/sql-names";

/**
 * Lets the unchanged ObjectQL engine query external tables. The engine addresses an object as
 * table `obj_<name>` and its fields as columns named after them, with system columns `id`,
 * `created_at`, ...; this plugin rewrites each compiled query of a data source's connection
 * so that `obj_<name>` becomes the external table (schema-qualified where there is a schema),
 * field columns become the external columns, `id` the table's primary key, and system columns
 * the table does not have read as NULL. Names still come only from metadata (the introspected
 * definitions) and are quoted by Kysely; values stay bound parameters.
 */
export class ExternalNamesPlugin implements KyselyPlugin {
  private readonly byTable: Map<string, ObjectDef>;

  constructor(objects: ObjectDef[], private readonly schema: string | undefined) {
    this.byTable = new Map(objects.filter((object) => object.source).map((object) => [tableName(object.name), object]));
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return new ExternalNamesTransformer(this.byTable, this.schema, collectTables(args.node, this.byTable)).transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

type TableScope = { aliases: Map<string, ObjectDef>; objects: Set<ObjectDef> };

/** Which aliases stand for which object's table, across the whole query (the engine's aliases are unique per query). */
function collectTables(root: OperationNode, byTable: Map<string, ObjectDef>): TableScope {
  const scope: TableScope = { aliases: new Map(), objects: new Set() };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const node = value as OperationNode;
    if (AliasNode.is(node) && TableNode.is(node.node) && IdentifierNode.is(node.alias)) {
      const object = byTable.get(node.node.table.identifier.name);
      if (object) scope.aliases.set(node.alias.name, object);
    }
    if (node.kind === "FromNode" || node.kind === "JoinNode" || node.kind === "UpdateQueryNode" || node.kind === "DeleteQueryNode") {
      const tables: unknown[] = [];
      const record = node as unknown as Record<string, unknown>;
      for (const key of ["froms", "table", "from"]) if (record[key]) tables.push(record[key]);
      for (const table of tables.flat()) {
        const inner = table as OperationNode;
        const tableNode = AliasNode.is(inner) ? inner.node : inner;
        if (TableNode.is(tableNode)) {
          const object = byTable.get(tableNode.table.identifier.name);
          if (object) scope.objects.add(object);
        }
      }
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(root);
  return scope;
}

class ExternalNamesTransformer extends OperationNodeTransformer {
  constructor(
    private readonly byTable: Map<string, ObjectDef>,
    private readonly schema: string | undefined,
    private readonly scope: TableScope,
  ) {
    super();
  }

  protected override transformTable(node: TableNode): TableNode {
    const object = this.byTable.get(node.table.identifier.name);
    if (!object || node.table.schema) return super.transformTable(node);
    const table = sourceTableName(object);
    return {
      kind: "TableNode",
      table: this.schema ? SchemableIdentifierNode.createWithSchema(this.schema, table) : SchemableIdentifierNode.create(table),
    };
  }

  protected override transformReference(node: ReferenceNode): ReferenceNode {
    if (!ColumnNode.is(node.column)) return super.transformReference(node);
    const qualifier = node.table && !node.table.table.schema ? node.table.table.identifier.name : undefined;
    let object: ObjectDef | undefined;
    if (qualifier !== undefined) object = this.scope.aliases.get(qualifier) ?? this.byTable.get(qualifier);
    else if (this.scope.objects.size === 1) object = [...this.scope.objects][0];
    if (!object) return super.transformReference(node);
    const column = sourceColumnName(object, node.column.column.name);
    // A system column the external table does not have: the engine reads NULL (typed, since
    // PostgreSQL refuses a bare NULL constant in ORDER BY).
    if (column === null) return RawNode.createWithSql("cast(null as char(1))") as unknown as ReferenceNode;
    return ReferenceNode.create(ColumnNode.create(column), node.table ? this.transformTable(node.table) : undefined);
  }
}
