import "server-only";
import { chooseForm, formRuleIssues, type FormValues } from "@/formula/form-rules";
import type { FormDef } from "@/spec/form";
import type { ObjectQL, SecurityContext } from "@/server/objectql";
import type { Services } from "@/server/services";
import { ServiceError, summarizeIssues } from "@/server/errors";

/**
 * Forms on the server: which published form a user gets for an object (or one of its records),
 * and the re-check of a save made through a form, so a rule the browser enforces (a required
 * field, a read-only one) cannot be skipped by calling the API directly.
 */

/** The published form `name` of `object`; a clear BAD_REQUEST naming `form` otherwise. */
export async function publishedFormOf(services: Services, object: string, name: string): Promise<FormDef> {
  const form = await services.metadata.getPublished("form", name);
  if (!form) throw new ServiceError("BAD_REQUEST", `Unknown form '${name}' (form)`, [{ path: ["form"], message: `no published form '${name}'` }]);
  if (form.object !== object) {
    throw new ServiceError("BAD_REQUEST", `Form '${name}' is for '${form.object}', not '${object}' (form)`, [
      { path: ["form"], message: `is a form of '${form.object}', not '${object}'` },
    ]);
  }
  return form;
}

type FormSave = { engine: ObjectQL; security: SecurityContext; object: string; form: string; values: FormValues; id?: string };

/**
 * Refuses (BAD_REQUEST, issues by field path) a save that breaks the form's rules, evaluated on
 * the object as this user sees it (fields they may not read are not checked: they could not
 * fill them) and on the record as it would be after the save.
 */
export async function checkFormSave(services: Services, save: FormSave): Promise<void> {
  const form = await publishedFormOf(services, save.object, save.form);
  const object = await save.engine.describe(save.security, save.object);
  let previous: FormValues | undefined;
  if (save.id !== undefined) {
    const stored = await save.engine.findOne(save.security, save.object, save.id);
    // No such record (or not visible): the update itself answers NOT_FOUND.
    if (!stored) return;
    previous = stored;
  }
  const after = previous ? { ...previous, ...save.values } : save.values;
  const issues = formRuleIssues(form, object, after, previous);
  if (issues.length > 0) throw new ServiceError("BAD_REQUEST", `The form '${form.label}' refuses this save: ${summarizeIssues(issues)}`, issues);
}

/** The profiles a user has in the published security model (their assignment, else the default profile). */
async function profilesOf(services: Services, userId: string): Promise<string[]> {
  const model = await services.security.current();
  if (!model) return [];
  const profile = model.assignments[userId]?.profile ?? model.defaultProfile;
  return profile ? [profile] : [];
}

/**
 * The published form `userId` gets for a new record of `object` (no `record`) or for `record`:
 * by record type, profile, then the object's default (null: the generated form).
 */
export async function formForUser(services: Services, userId: string, object: string, record?: FormValues): Promise<FormDef | null> {
  const [forms, profiles] = await Promise.all([services.metadata.listPublished("form"), profilesOf(services, userId)]);
  return chooseForm(forms, object, profiles, record && flattenLookups(record));
}

/** Record types are select values; lookups come back as { id, name } and compare by id. */
function flattenLookups(record: FormValues): FormValues {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, value && typeof value === "object" && !Array.isArray(value) && "id" in value ? (value as { id: unknown }).id : value]),
  );
}
