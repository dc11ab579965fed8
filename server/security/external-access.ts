import type { RowScope, UserAccess } from "./access";

/**
 * Access to objects read from an external data source: object permissions and field access as
 * for any object; rows are all or nothing, as external tables have no owners or manual shares
 * (sharing rules still apply: their criteria are about the record's own fields).
 */
export function externalAccess(access: UserAccess): UserAccess {
  return {
    ...access,
    key: `${access.key}:external`,
    rowScope(object, operation): RowScope {
      const scope = access.rowScope(object, operation);
      if (scope.kind === "all") return scope;
      return { kind: "limited", owners: [], rules: scope.rules, principals: [] };
    },
  };
}
