import "server-only";
import type { AppDef, ObjectDef } from "@/spec";
import type { PlatformDb } from "@/server/db/platform-db";
import { ServiceError } from "@/server/errors";
import type { DatasourceRegistry } from "./datasource-registry";
import type { ExternalObjects } from "./external-objects";

type Client = Pick<PlatformDb, "metadataDocument" | "metadataVersion">;
type StoredDocument = { id: string; kind: string; name: string; draft: string | null; publishedVersion: number | null };
/** An object document that reads a data source: its draft or its published version has `source`. */
export type ImportedObject = { name: string; label: string; published: boolean };

/** Every body a document holds (its draft and its published version), parsed. */
async function bodiesOf<T>(client: Client, documents: StoredDocument[]): Promise<Map<string, T[]>> {
  const wanted = documents.filter((document) => document.publishedVersion !== null);
  const versions = wanted.length === 0 ? [] : await client.metadataVersion.findMany({
    where: { OR: wanted.map((document) => ({ documentId: document.id, version: document.publishedVersion! })) },
    select: { documentId: true, body: true },
  });
  const result = new Map<string, T[]>(documents.map((document) => [document.id, document.draft ? [JSON.parse(document.draft) as T] : []]));
  for (const version of versions) result.get(version.documentId)?.push(JSON.parse(version.body) as T);
  return result;
}

async function importedObjectDocuments(client: Client, datasource: string) {
  const documents = await client.metadataDocument.findMany({ where: { kind: "object" }, orderBy: { name: "asc" } });
  const bodies = await bodiesOf<ObjectDef>(client, documents);
  return documents.flatMap((document) => {
    const versions = bodies.get(document.id) ?? [];
    if (!versions.some((body) => body.source?.datasource === datasource)) return [];
    return [{ document, object: { name: document.name, label: versions[0]?.label ?? document.name, published: document.publishedVersion !== null } }];
  });
}

/** The objects (published or draft) that read `datasource`'s tables. */
export async function importedObjects(platformDb: PlatformDb, datasource: string): Promise<ImportedObject[]> {
  return (await importedObjectDocuments(platformDb, datasource)).map((entry) => entry.object);
}

/** What still uses the given objects and would break if they went: app navigation and lookups of other objects. */
async function usesOf(client: Client, objects: Set<string>): Promise<string[]> {
  const documents = await client.metadataDocument.findMany({ where: { kind: { in: ["app", "object"] } }, orderBy: [{ kind: "asc" }, { name: "asc" }] });
  const bodies = await bodiesOf<AppDef | ObjectDef>(client, documents);
  const uses = new Set<string>();
  for (const document of documents) {
    if (document.kind === "object" && objects.has(document.name)) continue;
    for (const body of bodies.get(document.id) ?? []) {
      if (document.kind === "app") {
        for (const item of (body as AppDef).navigation) {
          if (item.type === "object" && objects.has(item.object)) uses.add(`app '${document.name}' shows object '${item.object}' in its navigation`);
        }
      } else {
        for (const field of (body as ObjectDef).fields) {
          const target = "reference" in field ? field.reference : field.type === "rollup" ? field.childObject : undefined;
          if (target && objects.has(target)) uses.add(`field '${document.name}.${field.name}' refers to object '${target}'`);
        }
      }
    }
  }
  return [...uses];
}

const quoted = (names: string[]) => names.map((name) => `'${name}'`).join(", ");

/**
 * Deletes a data source document and its history. The objects imported from it must go first:
 * without `deleteObjects` the deletion is refused with their names; with it, they are deleted in
 * the same transaction (their external tables are never touched). Either way, objects that an
 * app's navigation or another object's lookup still uses are never deleted: the refusal names
 * those uses. The process's registries forget the source and its objects; other processes do at
 * their next check (DatasourceSync).
 */
export async function deleteDatasource(
  deps: { platformDb: PlatformDb; datasources: DatasourceRegistry; externalObjects: ExternalObjects },
  name: string,
  options: { deleteObjects: boolean },
): Promise<{ deletedObjects: string[] }> {
  const deletedObjects = await deps.platformDb.$transaction(async (tx) => {
    const document = await tx.metadataDocument.findUnique({ where: { kind_name: { kind: "datasource", name } } });
    if (!document) throw new ServiceError("NOT_FOUND", `No data source named '${name}'`, [{ path: ["name"], message: `no data source '${name}'` }]);
    const objects = await importedObjectDocuments(tx, name);
    const objectNames = objects.map((entry) => entry.object.name);
    if (objectNames.length > 0 && !options.deleteObjects) {
      throw new ServiceError(
        "PRECONDITION_FAILED",
        `Data source '${name}' still has imported objects: ${quoted(objectNames)}. Delete those objects first, or delete them together with the data source.`,
        [{ path: ["deleteObjects"], message: `objects imported from '${name}': ${objectNames.join(", ")}` }],
        { objects: objectNames },
      );
    }
    const uses = await usesOf(tx, new Set(objectNames));
    if (uses.length > 0) {
      throw new ServiceError(
        "PRECONDITION_FAILED",
        `Cannot delete data source '${name}': its objects are still used (${uses.join("; ")}). Remove those uses first.`,
        uses.map((use) => ({ path: ["deleteObjects"], message: use })),
      );
    }
    const ids = [document.id, ...objects.map((entry) => entry.document.id)];
    await tx.metadataVersion.deleteMany({ where: { documentId: { in: ids } } });
    await tx.metadataDocument.deleteMany({ where: { id: { in: ids } } });
    return objectNames;
  });
  for (const object of deletedObjects) deps.externalObjects.remove(object);
  await deps.datasources.remove(name);
  deps.externalObjects.invalidate(name);
  return { deletedObjects };
}
