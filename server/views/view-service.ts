import "server-only";
import { viewSchema, type ViewDef } from "@/spec/view";
import { isIdentifier } from "@/spec/identifier";
import type { SecurityContext } from "@/server/objectql";
import type { DescribedObject } from "@/server/objectql/objectql";
import type { Services } from "@/server/services";
import { ServiceError, issuesFromZod, summarizeIssues, type Issue } from "@/server/errors";
import { viewMetadataIssues } from "@/server/metadata/view-check";
import { viewForReader } from "./view-for-reader";

/**
 * List views at run time: the published (shared) views of an object, and each user's own saved
 * views (the UserView table). Every answer is shaped for the reader: only objects they may read,
 * and views masked to the fields they may read (view-for-reader.ts).
 */

/** A user's own view: the view body plus the row id that rename and delete address. */
export type SavedView = ViewDef & { id: string };
export type ObjectViews = { shared: ViewDef[]; mine: SavedView[] };

/** Most views one user keeps for one object. */
export const MAX_VIEWS_PER_OBJECT = 100;

type Reader = { services: Services; security: SecurityContext & { kind: "user" } };

/** The object as the reader sees it: FORBIDDEN when they may not read it, NOT_FOUND when it does not exist. */
async function describeFor({ services, security }: Reader, object: string): Promise<DescribedObject> {
  const known = services.registry.get(object) ?? services.externalObjects.get(object);
  if (!known) throw new ServiceError("NOT_FOUND", `Unknown object '${object}'`, [{ path: ["object"], message: "is not a published object" }]);
  const engine = (await services.externalObjects.engineFor(object)) ?? services.objectql;
  return engine.describe(security, object);
}

/** A stored view, or null if it no longer parses (a newer spec refusing an old body): it is then left out, not an error. */
function parseStored(row: { id: string; body: string }): SavedView | null {
  let body: unknown;
  try {
    body = JSON.parse(row.body);
  } catch {
    return null;
  }
  const parsed = viewSchema.safeParse(body);
  return parsed.success ? { ...parsed.data, id: row.id } : null;
}

/** Published views of `object` (default first, then by label) and the reader's own (by label). */
export async function viewsForObject(reader: Reader, object: string): Promise<ObjectViews> {
  const described = await describeFor(reader, object);
  const [published, rows] = await Promise.all([
    reader.services.metadata.listPublished("view"),
    reader.services.platformDb.userView.findMany({ where: { userId: reader.security.userId, object }, orderBy: { label: "asc" } }),
  ]);
  const shared = published
    .filter((view) => view.object === object)
    .map((view) => viewForReader(view, described))
    .filter((view): view is ViewDef => view !== null)
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.label.localeCompare(b.label));
  const mine = rows
    .map(parseStored)
    .filter((view): view is SavedView => view !== null)
    .map((view) => {
      const masked = viewForReader(view, described);
      return masked && { ...masked, id: view.id };
    })
    .filter((view): view is SavedView => view !== null);
  return { shared, mine };
}

/** Issues under `view.` (the input's field), so the client can show them where they belong. */
function underView(issues: { path: (string | number)[]; message: string }[]): Issue[] {
  return issues.map((issue) => ({ path: ["view", ...issue.path], message: issue.message }));
}

/** A name for a new view from its label: `my_pipeline`, `my_pipeline_2`, ... unique among `taken`. */
export function viewNameFrom(label: string, taken: Set<string>): string {
  const base = `my_${label.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "")}`.slice(0, 56).replace(/_+$/, "") || "my_view";
  const safe = isIdentifier(base) ? base : "my_view";
  if (!taken.has(safe)) return safe;
  for (let n = 2; ; n++) if (!taken.has(`${safe}_${n}`)) return `${safe}_${n}`;
}

/**
 * Saves a view of `object` as the reader's own: a new one (its name derived from the label
 * unless given), or, with `id`, over one of theirs. The body is checked as a published view is
 * (spec/view.ts, then its fields against the object as this reader sees it).
 */
export async function saveUserView(reader: Reader, input: { object: string; id?: string; view: unknown }): Promise<SavedView> {
  const described = await describeFor(reader, input.object);
  const { services, security } = reader;
  const existing = input.id === undefined ? null : await ownRow(reader, input.id, input.object);
  if (!input.view || typeof input.view !== "object" || Array.isArray(input.view)) {
    throw new ServiceError("BAD_REQUEST", "Invalid view: view: must be an object", [{ path: ["view"], message: "must be an object" }]);
  }
  const body = input.view as Record<string, unknown>;
  if (body.object !== undefined && body.object !== input.object) {
    throw new ServiceError("BAD_REQUEST", `Invalid view: view.object: is '${String(body.object)}', not '${input.object}'`, [
      { path: ["view", "object"], message: `must be '${input.object}'` },
    ]);
  }
  let name = existing?.name;
  if (name === undefined) {
    const taken = new Set((await services.platformDb.userView.findMany({ where: { userId: security.userId, object: input.object }, select: { name: true } })).map((row) => row.name));
    if (taken.size >= MAX_VIEWS_PER_OBJECT) {
      throw new ServiceError("BAD_REQUEST", `You already keep ${MAX_VIEWS_PER_OBJECT} views of '${input.object}': delete one first`);
    }
    if (typeof body.name === "string") {
      if (taken.has(body.name)) throw new ServiceError("CONFLICT", `You already have a view named '${body.name}'`, [{ path: ["view", "name"], message: "is already one of your views" }]);
      name = body.name;
    } else {
      name = viewNameFrom(typeof body.label === "string" ? body.label : "", taken);
    }
  }
  // A personal view is never the object's default for everyone.
  const parsed = viewSchema.safeParse({ ...body, name, object: input.object, isDefault: false });
  if (!parsed.success) {
    const issues = underView(issuesFromZod(parsed.error));
    throw new ServiceError("BAD_REQUEST", `Invalid view: ${summarizeIssues(issues)}`, issues);
  }
  const fieldIssues = underView(viewMetadataIssues(parsed.data, described));
  if (fieldIssues.length > 0) throw new ServiceError("BAD_REQUEST", `Invalid view: ${summarizeIssues(fieldIssues)}`, fieldIssues);

  const view = parsed.data;
  const data = { label: view.label, body: JSON.stringify(view) };
  const row = existing
    ? await services.platformDb.userView.update({ where: { id: existing.id }, data })
    : await services.platformDb.userView.create({ data: { ...data, userId: security.userId, object: input.object, name: view.name } });
  return { ...view, id: row.id };
}

/** One of the reader's views; someone else's (or none) is NOT_FOUND, never FORBIDDEN: ids of others' views are not revealed. */
async function ownRow(reader: Reader, id: string, object?: string) {
  const row = await reader.services.platformDb.userView.findUnique({ where: { id } });
  if (!row || row.userId !== reader.security.userId || (object !== undefined && row.object !== object)) {
    throw new ServiceError("NOT_FOUND", `You have no view with id '${id}'`, [{ path: ["id"], message: "is not one of your views" }]);
  }
  return row;
}

export async function renameUserView(reader: Reader, input: { id: string; label: string }): Promise<SavedView> {
  const row = await ownRow(reader, input.id);
  const stored = parseStored(row);
  if (!stored) throw new ServiceError("PRECONDITION_FAILED", "This view can no longer be read: delete it and save it again");
  const { id: _id, ...body } = stored;
  const view: ViewDef = { ...body, label: input.label };
  await reader.services.platformDb.userView.update({ where: { id: row.id }, data: { label: view.label, body: JSON.stringify(view) } });
  return { ...view, id: row.id };
}

export async function deleteUserView(reader: Reader, input: { id: string }): Promise<{ id: string }> {
  const row = await ownRow(reader, input.id);
  await reader.services.platformDb.userView.delete({ where: { id: row.id } });
  return { id: row.id };
}
