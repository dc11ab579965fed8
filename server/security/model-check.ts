import { compileFilter } from "@/server/objectql/query/filter-compiler";
import { ObjectQLError } from "@/server/objectql/errors";
import type { ObjectDef } from "@/spec/object";
import type { Filter } from "@/spec/query";
import type { SecurityModel } from "@/spec/security";

type Issue = { path: (string | number)[]; message: string };

/** Every field path a filter names. */
function filterFields(filter: Filter, path: (string | number)[], out: { field: string; path: (string | number)[] }[]): void {
  if ("and" in filter) filter.and.forEach((part, index) => filterFields(part, [...path, "and", index], out));
  else if ("or" in filter) filter.or.forEach((part, index) => filterFields(part, [...path, "or", index], out));
  else if ("not" in filter) filterFields(filter.not, [...path, "not"], out);
  else out.push({ field: filter.field, path: [...path, "field"] });
}

/**
 * Checks a security model against the published objects before it is published: every object
 * and field it names exists, sharing-rule criteria compile against their object (own fields
 * only: a rule is evaluated on the record itself), and controlled-by-parent objects have a
 * master-detail field. Issues name the path in the document.
 */
export function securityModelIssues(model: SecurityModel, objects: ObjectDef[]): Issue[] {
  const byName = new Map(objects.map((object) => [object.name, object]));
  const issues: Issue[] = [];
  const unknownObject = (name: string, path: (string | number)[]) => {
    if (!byName.has(name)) issues.push({ path, message: `Unknown object '${name}' (publish it first)` });
    return byName.get(name);
  };
  for (const [listName, list] of [["profiles", model.profiles], ["permissionSets", model.permissionSets]] as const) {
    list.forEach((set, index) => {
      for (const [objectName, access] of Object.entries(set.objects)) {
        const object = unknownObject(objectName, [listName, index, "objects", objectName]);
        if (!object) continue;
        for (const field of Object.keys(access.fields)) {
          if (!object.fields.some((candidate) => candidate.name === field)) {
            issues.push({ path: [listName, index, "objects", objectName, "fields", field], message: `Unknown field '${field}' on object '${objectName}'` });
          }
        }
      }
    });
  }
  for (const [objectName, baseline] of Object.entries(model.orgWideDefaults)) {
    const object = unknownObject(objectName, ["orgWideDefaults", objectName]);
    if (object && baseline === "controlled_by_parent" && !object.fields.some((field) => field.type === "master_detail")) {
      issues.push({ path: ["orgWideDefaults", objectName], message: `Object '${objectName}' has no master-detail field, so it cannot be controlled by a parent` });
    }
  }
  model.sharingRules.forEach((rule, index) => {
    const object = unknownObject(rule.object, ["sharingRules", index, "object"]);
    if (!object) return;
    const fields: { field: string; path: (string | number)[] }[] = [];
    filterFields(rule.criteria, ["sharingRules", index, "criteria"], fields);
    const dotted = fields.find((entry) => entry.field.includes("."));
    if (dotted) {
      issues.push({ path: dotted.path, message: `Sharing rule criteria may only use fields of '${rule.object}' itself (not '${dotted.field}')` });
      return;
    }
    try {
      compileFilter({ object, dialect: "sqlite", alias: "t" }, rule.criteria, ["sharingRules", index, "criteria"]);
    } catch (error) {
      if (!(error instanceof ObjectQLError)) throw error;
      issues.push({ path: error.path ?? ["sharingRules", index, "criteria"], message: error.message });
    }
  });
  for (const [objectName, fields] of Object.entries(model.trackedFields)) {
    const object = unknownObject(objectName, ["trackedFields", objectName]);
    if (!object) continue;
    fields.forEach((field, index) => {
      if (!object.fields.some((candidate) => candidate.name === field)) {
        issues.push({ path: ["trackedFields", objectName, index], message: `Unknown field '${field}' on object '${objectName}'` });
      }
    });
  }
  return issues;
}
