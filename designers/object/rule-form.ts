import { toApiName } from "@/designers/shared/api-name";
import { zodIssues } from "@/designers/shared/issues";
import { validationRuleSchema, type FieldDef, type ValidationRuleDef } from "@/spec/object";

/**
 * The rule semantics, as the server applies them (server/objectql/validation-rules.ts): the
 * condition must hold; FALSE refuses the save, NULL (unknown) passes like a SQL CHECK.
 */
export const CONDITION_HELP =
  "The condition that must hold (be TRUE) for a record to be saved; when it is FALSE the save is refused with the error message. " +
  "A blank (NULL) result passes: use ISBLANK() or Required to refuse blank values. Example: amount >= 0";

const RULE_PATH_LABELS: Record<string, string> = {
  name: "Rule name", expression: "Condition", message: "Error message", errorField: "Show error on field", active: "Active",
};

/** A readable name for a rule-relative issue path ("expression" -> "Condition"). */
export function describeRulePath(path: readonly (string | number)[]): string {
  return path.length === 0 ? "Rule" : RULE_PATH_LABELS[String(path[0])] ?? path.join(".");
}

export type RuleForm = { name: string; expression: string; message: string; errorField: string; active: boolean };

export type RuleFormResult = { ok: true; rule: ValidationRuleDef } | { ok: false; errors: Record<string, string> };

/** Validates the rule form with the spec's validationRuleSchema (the name is made an API name). */
export function validateRuleForm(form: RuleForm, otherRules: readonly ValidationRuleDef[], fields: readonly FieldDef[]): RuleFormResult {
  const errors: Record<string, string> = {};
  const name = toApiName(form.name.trim(), "rule");
  const parsed = validationRuleSchema.safeParse({
    name,
    expression: form.expression,
    message: form.message,
    ...(form.errorField ? { errorField: form.errorField } : {}),
    active: form.active,
  });
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error)) {
      const key = issue.path.join(".") || "name";
      if (!(key in errors)) errors[key] = issue.message;
    }
  }
  if (!errors.name && otherRules.some((rule) => rule.name === name)) errors.name = `another rule is named '${name}'`;
  if (form.errorField && !fields.some((field) => field.name === form.errorField) && !errors.errorField) {
    errors.errorField = `is not a field of this object ('${form.errorField}')`;
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, rule: parsed.data };
}
