"use client";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Alert, Badge, Button, Dialog, FormField, Input, NativeSelect, Textarea } from "@/components/ui";
import { toApiName } from "@/designers/shared/api-name";
import type { FieldDef, ObjectDef, ValidationRuleDef } from "@/spec/object";
import { RuleCommandError, type ObjectDesignerStore } from "./object-designer-store";
import { CONDITION_HELP, describeRulePath, validateRuleForm, type RuleForm } from "./rule-form";

function RuleDialog({ rule, fields, otherRules, serverErrors, onClose, onSubmit }: {
  rule?: ValidationRuleDef;
  fields: readonly FieldDef[];
  otherRules: readonly ValidationRuleDef[];
  serverErrors: Record<string, string>;
  onClose: () => void;
  onSubmit: (rule: ValidationRuleDef) => string | null;
}) {
  const [form, setForm] = useState<RuleForm>(() => ({
    name: rule?.name ?? "",
    expression: rule?.expression ?? "",
    message: rule?.message ?? "",
    errorField: rule?.errorField ?? "",
    active: rule?.active ?? true,
  }));
  const [errors, setErrors] = useState<Record<string, string>>(serverErrors);
  const [formError, setFormError] = useState<string | null>(null);
  const update = (patch: Partial<RuleForm>) => setForm((current) => ({ ...current, ...patch }));
  const apiName = toApiName(form.name.trim(), "rule");

  function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const result = validateRuleForm(form, otherRules, fields);
    if (!result.ok) {
      setErrors(result.errors);
      setFormError("Fix the highlighted settings.");
      return;
    }
    setErrors({});
    const refused = onSubmit(result.rule);
    if (refused) setFormError(refused);
  }

  return (
    <Dialog open onOpenChange={(open) => { if (!open) onClose(); }} width="40rem"
      title={rule ? `Edit rule ${rule.name}` : "New validation rule"}
      description="A rule checks each record when it is created or updated.">
      <form onSubmit={submit} noValidate className="space-y-4">
        {formError && <Alert>{formError}</Alert>}
        <FormField label="Rule name" htmlFor="rule-name" required error={errors.name}
          help={apiName && apiName !== form.name.trim() ? `Saved as ${apiName}.` : "Lowercase letters, digits and underscores."}>
          <Input id="rule-name" value={form.name} autoFocus aria-invalid={!!errors.name} placeholder="amount_positive"
            onChange={(e) => update({ name: e.target.value })} />
        </FormField>
        <FormField label="Condition" htmlFor="rule-expression" required error={errors.expression} help={CONDITION_HELP}>
          <Textarea id="rule-expression" value={form.expression} rows={3} spellCheck={false} className="font-mono text-sm"
            aria-invalid={!!errors.expression} placeholder="amount >= 0" onChange={(e) => update({ expression: e.target.value })} />
        </FormField>
        <FormField label="Error message" htmlFor="rule-message" required error={errors.message} help="Shown to the person saving the record.">
          <Input id="rule-message" value={form.message} aria-invalid={!!errors.message}
            onChange={(e) => update({ message: e.target.value })} />
        </FormField>
        <FormField label="Show error on field" htmlFor="rule-error-field" error={errors.errorField}>
          <NativeSelect id="rule-error-field" value={form.errorField} aria-invalid={!!errors.errorField}
            onChange={(e) => update({ errorField: e.target.value })}>
            <option value="">Top of form</option>
            {fields.map((field) => <option key={field.id} value={field.name}>{field.label} ({field.name})</option>)}
            {form.errorField && !fields.some((field) => field.name === form.errorField) && (
              <option value={form.errorField}>{form.errorField} (missing)</option>
            )}
          </NativeSelect>
        </FormField>
        <div className="flex items-center gap-2">
          <input id="rule-active" type="checkbox" checked={form.active} onChange={(e) => update({ active: e.target.checked })}
            className="h-4 w-4 rounded border-slate-300" />
          <label htmlFor="rule-active" className="text-sm font-medium text-slate-700">Active</label>
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary">{rule ? "Save rule" : "Add rule"}</Button>
        </div>
      </form>
    </Dialog>
  );
}

type RuleDialogState = { mode: "add" } | { mode: "edit"; position: number } | null;

/** The object's validation rules: list, add, edit, activate and remove (each through a store command). */
export function ValidationRulesPanel({ store, object, errors }: {
  store: ObjectDesignerStore;
  object: ObjectDef;
  /** Issues keyed by dotted path ("validationRules.0.expression"). */
  errors: Record<string, string>;
}) {
  const [dialog, setDialog] = useState<RuleDialogState>(null);
  const rules = object.validationRules;
  const stored = object.fields.filter((field) => field.type !== "formula" && field.type !== "rollup");
  const editing = dialog?.mode === "edit" ? rules[dialog.position] : undefined;
  const issuesOf = (position: number) =>
    Object.entries(errors)
      .filter(([key]) => key === `validationRules.${position}` || key.startsWith(`validationRules.${position}.`))
      .map(([key, message]) => ({ path: key.split(".").slice(2), message }));

  function submit(rule: ValidationRuleDef): string | null {
    try {
      if (dialog?.mode === "edit") store.updateRule(dialog.position, rule);
      else store.addRule(rule);
      setDialog(null);
      return null;
    } catch (error) {
      if (error instanceof RuleCommandError) return error.message;
      throw error;
    }
  }

  return (
    <section aria-labelledby="object-rules-heading" className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <div>
          <h2 id="object-rules-heading" className="text-sm font-semibold text-slate-800">Validation rules</h2>
          <p className="text-xs text-slate-500">
            Each active rule&apos;s condition must hold for a record to be saved; when it is FALSE the save is refused with its message.
          </p>
        </div>
        <Button variant="primary" onClick={() => setDialog({ mode: "add" })}>
          <Plus className="h-4 w-4" aria-hidden /> Add rule
        </Button>
      </div>
      {rules.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-500">No validation rules.</p>
      ) : (
        <ol className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Validation rules">
          {rules.map((rule, position) => {
            const issues = issuesOf(position);
            const errorFieldLabel = rule.errorField ? object.fields.find((field) => field.name === rule.errorField)?.label ?? rule.errorField : "Top of form";
            return (
              <li key={`${rule.name}-${position}`} className="px-4 py-3" data-testid="rule-row">
                <div className="flex flex-wrap items-start gap-3">
                  <div className="min-w-0 flex-1">
                    <div className="flex items-center gap-2">
                      <span className="font-mono text-sm font-medium text-slate-800">{rule.name}</span>
                      {!rule.active && <Badge>Inactive</Badge>}
                    </div>
                    <code className="mt-1 block break-all font-mono text-xs text-slate-600">{rule.expression}</code>
                    <p className="mt-1 text-xs text-slate-500">“{rule.message}” · on {errorFieldLabel}</p>
                  </div>
                  <span className="flex items-center gap-1.5">
                    <input id={`rule-${position}-active`} type="checkbox" checked={rule.active} className="h-4 w-4 rounded border-slate-300"
                      onChange={(e) => store.setRuleActive(position, e.target.checked)} />
                    <label htmlFor={`rule-${position}-active`} className="text-sm text-slate-700">
                      Active<span className="sr-only"> ({rule.name})</span>
                    </label>
                  </span>
                  <Button variant="ghost" size="sm" aria-label={`Edit rule ${rule.name}`} onClick={() => setDialog({ mode: "edit", position })}>
                    <Pencil className="h-3.5 w-3.5" aria-hidden /> Edit
                  </Button>
                  <Button variant="ghost" size="sm" className="hover:bg-red-50 hover:text-red-700" aria-label={`Remove rule ${rule.name}`}
                    onClick={() => store.removeRule(position)}>
                    <Trash2 className="h-3.5 w-3.5" aria-hidden /> Remove
                  </Button>
                </div>
                {issues.map((issue) => (
                  <p key={issue.path.join(".")} role="alert" className="mt-1 text-xs text-red-600">
                    {describeRulePath(issue.path)}: {issue.message}
                  </p>
                ))}
              </li>
            );
          })}
        </ol>
      )}
      {dialog && (dialog.mode === "add" || editing) && (
        <RuleDialog
          key={dialog.mode === "edit" ? `edit-${dialog.position}` : "add"}
          rule={editing}
          fields={stored}
          otherRules={rules.filter((_, i) => dialog.mode !== "edit" || i !== dialog.position)}
          serverErrors={dialog.mode === "edit"
            ? Object.fromEntries(issuesOf(dialog.position).map((issue) => [issue.path.join(".") || "name", issue.message]))
            : {}}
          onClose={() => setDialog(null)}
          onSubmit={submit}
        />
      )}
    </section>
  );
}
