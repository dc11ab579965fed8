import { z } from "zod";
import type { PlatformDb } from "@/server/db/platform-db";
import { metadataKind, type MetadataKind } from "@/spec/metadata";
import { auditPageFields, checkRange, createdAtRange, pageWindow } from "./audit-query";
import type { CsvColumn } from "./csv";
import { actorIdsMatching, type Actor } from "./record-history-query";

/**
 * Metadata change history: every publish of every document (the immutable `MetadataVersion`
 * rows: who, when, note), across documents, newest first.
 */

export const metadataChangeFilterSchema = z
  .object({
    kind: metadataKind.optional(),
    /** Part of the document's API name. */
    name: z.string().trim().min(1).max(64).optional(),
    /** Part of the publisher's email or name, or their exact user id. */
    user: z.string().trim().min(1).max(320).optional(),
    ...auditPageFields,
  })
  .superRefine(checkRange);
export type MetadataChangeFilter = z.infer<typeof metadataChangeFilterSchema>;

export type MetadataChangeRow = {
  id: string;
  kind: MetadataKind;
  name: string;
  version: number;
  publishedAt: Date;
  note: string | null;
  actor: Actor;
  /** The studio page showing the document (its History tab holds every version), if there is one. */
  href: string | null;
};

/** Where the studio edits a document of `kind`. */
export function studioHref(kind: string, name: string): string | null {
  switch (kind) {
    case "object":
      return `/studio/objects/${name}`;
    case "app":
      return `/studio/apps/${name}`;
    case "datasource":
      return `/studio/datasources/${name}`;
    case "security":
      return "/studio/security";
    case "form":
      return `/studio/forms/${name}`;
    case "view":
      return `/studio/views/${name}`;
    default:
      return null;
  }
}

/** A page of published versions across documents, newest first, with the total matching the filter. */
export async function listMetadataChanges(db: PlatformDb, filter: MetadataChangeFilter, window: { skip: number; take: number } = pageWindow(filter.page, filter.pageSize)) {
  const actors = await actorIdsMatching(db, filter.user);
  const where = {
    ...(filter.kind || filter.name ? { document: { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.name ? { name: { contains: filter.name } } : {}) } } : {}),
    ...(actors ? { publishedById: { in: actors } } : {}),
    ...(filter.from || filter.to ? { publishedAt: createdAtRange(filter.from, filter.to) } : {}),
  };
  const [versions, total] = await Promise.all([
    db.metadataVersion.findMany({
      where,
      orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
      select: { id: true, version: true, publishedAt: true, publishedById: true, note: true, document: { select: { kind: true, name: true } } },
      ...window,
    }),
    db.metadataVersion.count({ where }),
  ]);
  const userIds = [...new Set(versions.map((version) => version.publishedById).filter((id): id is string => id !== null))];
  const users = userIds.length === 0 ? [] : await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true, name: true } });
  const byId = new Map(users.map((user) => [user.id, user]));
  const rows: MetadataChangeRow[] = versions.map((version) => {
    const user = version.publishedById ? byId.get(version.publishedById) : undefined;
    return {
      id: version.id,
      kind: version.document.kind as MetadataKind,
      name: version.document.name,
      version: version.version,
      publishedAt: version.publishedAt,
      note: version.note,
      actor: version.publishedById ? { id: version.publishedById, email: user?.email ?? null, name: user?.name ?? null } : null,
      href: studioHref(version.document.kind, version.document.name),
    };
  });
  return { rows, total };
}

export const metadataChangeCsvColumns: CsvColumn<MetadataChangeRow>[] = [
  { header: "time", value: (row) => row.publishedAt },
  { header: "kind", value: (row) => row.kind },
  { header: "name", value: (row) => row.name },
  { header: "version", value: (row) => row.version },
  { header: "user", value: (row) => row.actor?.email ?? row.actor?.id },
  { header: "note", value: (row) => row.note },
];

export type JsonChange = { path: string; before: unknown; after: unknown };

/** The leaf paths where two JSON documents differ (arrays by index), at most `max` of them. */
export function jsonChanges(before: unknown, after: unknown, max = 200, path = ""): JsonChange[] {
  const changes: JsonChange[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (changes.length >= max) return;
    const container = (value: unknown) => typeof value === "object" && value !== null;
    if (container(a) && container(b) && Array.isArray(a) === Array.isArray(b)) {
      const left = a as Record<string, unknown>;
      const right = b as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
      for (const key of keys) walk(left[key], right[key], Array.isArray(a) ? `${at}[${key}]` : at ? `${at}.${key}` : key);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ path: at || "(document)", before: a ?? null, after: b ?? null });
  };
  walk(before, after, path);
  return changes;
}
