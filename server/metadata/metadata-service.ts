import { securityModelIssues } from "@/server/security/model-check";
import type { SecurityModel } from "@/spec/security";
import type { FormDef } from "@/spec/form";
import type { ViewDef } from "@/spec/view";
import type { FlowDef } from "@/spec/flow";
import { flowMetadataIssues } from "@/server/automation/flow-check";
import { formMetadataIssues } from "@/formula/form-rules";
import { viewMetadataIssues } from "./view-check";
import "server-only";
import {
  metadataSchemas,
  type AppDef,
  type DatasourceDef,
  type MetadataKind,
  type ObjectDef,
} from "@/spec";
import { sql } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { openDatasource } from "@/server/datasources/datasource-connection";
import { missingSources } from "@/server/datasources/source-check";
import type { DatasourceRegistry } from "@/server/datasources/datasource-registry";
import type { ExternalObjects } from "@/server/datasources/external-objects";
import type { PlatformDb } from "@/server/db/platform-db";
import { ServiceError, issuesFromZod, summarizeIssues } from "@/server/errors";
import { ObjectRegistry, planSchemaSync, syncObjectSchema, type SchemaPlan } from "@/server/objectql";

export type MetadataBody = ObjectDef | AppDef | DatasourceDef | SecurityModel | FormDef | ViewDef | FlowDef;
/** The document type of a metadata kind. */
export type MetadataBodyOf<K extends MetadataKind> = K extends "object"
  ? ObjectDef
  : K extends "app"
    ? AppDef
    : K extends "security"
      ? SecurityModel
      : K extends "form"
        ? FormDef
        : K extends "view"
          ? ViewDef
          : K extends "flow"
            ? FlowDef
            : DatasourceDef;
export type DocumentSummary = {
  kind: MetadataKind;
  name: string;
  label: string;
  hasDraft: boolean;
  draftRevision: number;
  publishedVersion: number | null;
  updatedAt: Date;
  /** The object a form or view belongs to. */
  object?: string;
};
/** A published version in the history: who published it, when, the note, and whether it is live. */
export type VersionSummary = {
  version: number;
  publishedAt: Date;
  publishedById: string | null;
  publishedBy: { id: string; name: string | null; email: string | null } | null;
  note: string | null;
  current: boolean;
};
export type DocumentDetail = DocumentSummary & {
  draft: MetadataBody | null;
  published: MetadataBody | null;
};

/**
 * The metadata store: every document has a working draft and a history of immutable published
 * versions. Drafts are validated on save (a bad document is refused with field paths) and carry
 * a revision number so two admins cannot overwrite each other silently. Publishing an object
 * syncs its table first (server/objectql, one transaction) and records the version after.
 */
export class MetadataService {
  private readonly platformDb: PlatformDb;
  private readonly dataDb: DataDatabase;
  private readonly registry: ObjectRegistry;
  private readonly datasources?: DatasourceRegistry;
  private readonly externalObjects?: ExternalObjects;
  /** Called after the security model is published (the enforcing service reloads it at once). */
  onSecurityPublished?: () => Promise<void>;
  /** Called after a flow is published (this process's triggers follow at once; others at their next request). */
  onFlowPublished?: () => Promise<void>;

  constructor(deps: {
    platformDb: PlatformDb;
    dataDb: DataDatabase;
    registry: ObjectRegistry;
    /** Attached data sources, updated when a `datasource` document is published. */
    datasources?: DatasourceRegistry;
    /** Published objects with `source`, updated when such an object is published. */
    externalObjects?: ExternalObjects;
  }) {
    this.platformDb = deps.platformDb;
    this.dataDb = deps.dataDb;
    this.registry = deps.registry;
    this.datasources = deps.datasources;
    this.externalObjects = deps.externalObjects;
  }

  validate(kind: MetadataKind, body: unknown): MetadataBody {
    const result = metadataSchemas[kind].safeParse(body);
    if (!result.success) {
      const issues = issuesFromZod(result.error);
      throw new ServiceError("BAD_REQUEST", `Invalid ${kind}: ${summarizeIssues(issues)}`, issues);
    }
    return result.data as MetadataBody;
  }

  async list(kind: MetadataKind): Promise<DocumentSummary[]> {
    const documents = await this.platformDb.metadataDocument.findMany({ where: { kind }, orderBy: { name: "asc" } });
    const published = await this.publishedBodies(documents.filter((document) => !document.draft));
    return documents.map((document) =>
      summarize(kind, document, document.draft ? (JSON.parse(document.draft) as MetadataBody) : (published.get(document.id) ?? null)),
    );
  }

  async get(kind: MetadataKind, name: string): Promise<DocumentDetail> {
    const document = await this.requireDocument(kind, name);
    const published = await this.publishedBody(document.id, document.publishedVersion);
    const draft = document.draft ? (JSON.parse(document.draft) as MetadataBody) : null;
    return { ...summarize(kind, document, draft ?? published), draft, published };
  }

  /** The published version of a document, or null when it was never published. */
  async getPublished<K extends MetadataKind>(kind: K, name: string): Promise<MetadataBodyOf<K> | null> {
    const document = await this.platformDb.metadataDocument.findUnique({ where: { kind_name: { kind, name } } });
    if (!document) return null;
    return (await this.publishedBody(document.id, document.publishedVersion)) as never;
  }

  async listPublished<K extends MetadataKind>(kind: K): Promise<MetadataBodyOf<K>[]> {
    const documents = await this.platformDb.metadataDocument.findMany({
      where: { kind, publishedVersion: { not: null } },
      orderBy: { name: "asc" },
    });
    const bodies = await this.publishedBodies(documents);
    return documents.flatMap((document) => bodies.get(document.id) ?? []) as never;
  }

  /** The published documents of a kind with their version numbers. */
  async listPublishedVersions<K extends MetadataKind>(kind: K): Promise<{ version: number; body: MetadataBodyOf<K> }[]> {
    const documents = await this.platformDb.metadataDocument.findMany({ where: { kind, publishedVersion: { not: null } }, orderBy: { name: "asc" } });
    const bodies = await this.publishedBodies(documents);
    return documents.flatMap((document) => {
      const body = bodies.get(document.id);
      return body ? [{ version: document.publishedVersion!, body: body as MetadataBodyOf<K> }] : [];
    });
  }

  /** Creates a new document as a draft; a name already taken is a conflict. */
  async create(kind: MetadataKind, body: unknown, userId: string): Promise<DocumentDetail> {
    const valid = this.validate(kind, body);
    const existing = await this.platformDb.metadataDocument.findUnique({ where: { kind_name: { kind, name: valid.name } } });
    if (existing) {
      throw new ServiceError("CONFLICT", `An ${kind} named '${valid.name}' already exists`, [
        { path: ["name"], message: `'${valid.name}' is already taken` },
      ]);
    }
    try {
      await this.platformDb.metadataDocument.create({
        data: { kind, name: valid.name, draft: JSON.stringify(valid), draftRevision: 1, updatedById: userId },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ServiceError("CONFLICT", `An ${kind} named '${valid.name}' already exists`);
      throw error;
    }
    return this.get(kind, valid.name);
  }

  /**
   * Saves the working draft. `baseRevision` is the revision the editor loaded; if someone saved
   * since, the save is refused as a conflict and their draft stays as it is.
   */
  async saveDraft(kind: MetadataKind, name: string, body: unknown, baseRevision: number, userId: string): Promise<DocumentDetail> {
    const valid = this.validate(kind, body);
    if (valid.name !== name) {
      throw new ServiceError("BAD_REQUEST", `Renaming a ${kind} is not supported (name '${name}' cannot become '${valid.name}')`, [
        { path: ["name"], message: `must stay '${name}'` },
      ]);
    }
    const document = await this.requireDocument(kind, name);
    // Compare-and-set on the revision: only one of two concurrent saves can win.
    const updated = await this.platformDb.metadataDocument.updateMany({
      where: { id: document.id, draftRevision: baseRevision },
      data: { draft: JSON.stringify(valid), draftRevision: { increment: 1 }, updatedById: userId },
    });
    if (updated.count === 0) {
      throw new ServiceError(
        "CONFLICT",
        `This ${kind} was changed by someone else since you opened it (your revision ${baseRevision}, now ${document.draftRevision}). Reload to see their changes; your edits were not saved.`,
      );
    }
    return this.get(kind, name);
  }

  /** Discards the working draft, going back to the published version. */
  async discardDraft(kind: MetadataKind, name: string, userId: string): Promise<DocumentDetail> {
    const document = await this.requireDocument(kind, name);
    if (document.publishedVersion === null) {
      throw new ServiceError("BAD_REQUEST", `'${name}' was never published: delete it instead of discarding its draft`);
    }
    await this.platformDb.metadataDocument.update({
      where: { id: document.id },
      data: { draft: null, draftRevision: { increment: 1 }, updatedById: userId },
    });
    return this.get(kind, name);
  }

  /** Deletes a document that was never published (published objects hold data). */
  async deleteUnpublished(kind: MetadataKind, name: string): Promise<void> {
    const document = await this.requireDocument(kind, name);
    if (document.publishedVersion !== null) {
      throw new ServiceError("PRECONDITION_FAILED", `'${name}' is published and cannot be deleted here`);
    }
    await this.platformDb.metadataDocument.delete({ where: { id: document.id } });
  }

  /** What publishing the draft would change (for objects: the schema steps, destructive ones flagged). */
  async previewPublish(kind: MetadataKind, name: string): Promise<{ plan: SchemaPlan | null }> {
    const document = await this.requireDocument(kind, name);
    if (!document.draft) return { plan: null };
    const body = this.validate(kind, JSON.parse(document.draft));
    if (kind !== "object") return { plan: null };
    const object = body as ObjectDef;
    if (object.source) return { plan: null };
    const current = this.registry.get(name) ?? null;
    return { plan: planSchemaSync(current, object, await this.objectsAfterPublish(object)) };
  }

  async publish(kind: MetadataKind, name: string, options: { confirmDestructive?: boolean; note?: string }, userId: string) {
    const document = await this.requireDocument(kind, name);
    if (!document.draft) {
      throw new ServiceError("BAD_REQUEST", `'${name}' has no draft changes to publish`);
    }
    const body = this.validate(kind, JSON.parse(document.draft));
    let plan: SchemaPlan | null = null;
    if (kind === "object" && (body as ObjectDef).source) {
      // External objects read a table of an attached data source: no DDL, only the version.
      await this.checkSourcePublished(body as ObjectDef);
    } else if (kind === "object") {
      const object = body as ObjectDef;
      if (this.externalObjects?.get(object.name)) {
        throw new ServiceError("BAD_REQUEST", `Object '${object.name}' reads an external data source: its 'source' cannot be removed`, [
          { path: ["source"], message: "is required: this object was published as an external object" },
        ]);
      }
      plan = await syncObjectSchema(this.dataDb, object, {
        allObjects: await this.objectsAfterPublish(object),
        confirmDestructive: options.confirmDestructive ?? false,
        userId,
      });
      await this.registry.reload();
    } else if (kind === "datasource") {
      const imported = (await this.listPublished("object")).filter((object) => object.source?.datasource === name);
      await checkDatasourceReachable(body as DatasourceDef, imported);
    } else if (kind === "security") {
      const issues = securityModelIssues(body as SecurityModel, await this.listPublished("object"));
      if (issues.length > 0) throw new ServiceError("BAD_REQUEST", `Cannot publish the security model: ${summarizeIssues(issues)}`, issues);
    } else if (kind === "form") {
      const form = body as FormDef;
      const issues = formMetadataIssues(form, this.objectNamed(form.object), (other) => this.objectNamed(other));
      if (issues.length > 0) throw new ServiceError("BAD_REQUEST", `Cannot publish form '${name}': ${summarizeIssues(issues)}`, issues);
    } else if (kind === "view") {
      const view = body as ViewDef;
      const issues = viewMetadataIssues(view, this.objectNamed(view.object));
      if (issues.length > 0) throw new ServiceError("BAD_REQUEST", `Cannot publish view '${name}': ${summarizeIssues(issues)}`, issues);
    } else if (kind === "flow") {
      const flow = body as FlowDef;
      const flows = new Map((await this.listPublished("flow")).map((published) => [published.name, published]));
      const issues = flowMetadataIssues(flow, (other) => this.objectNamed(other), (other) => flows.get(other));
      if (issues.length > 0) throw new ServiceError("BAD_REQUEST", `Cannot publish flow '${name}': ${summarizeIssues(issues)}`, issues);
    } else {
      await this.checkAppReferences(body as AppDef);
    }
    const version = (document.publishedVersion ?? 0) + 1;
    const bodyJson = JSON.stringify(body);
    const note = options.note ?? (await this.restoredNote(document.id, document.publishedVersion, bodyJson));
    await this.platformDb.$transaction([
      this.platformDb.metadataVersion.create({
        data: { documentId: document.id, version, body: bodyJson, publishedById: userId, note },
      }),
      this.platformDb.metadataDocument.update({
        where: { id: document.id },
        data: { publishedVersion: version, draft: null, draftRevision: { increment: 1 }, updatedById: userId },
      }),
    ]);
    if (kind === "datasource" && this.datasources) {
      await this.datasources.register(body as DatasourceDef);
      this.externalObjects?.invalidate(name);
    } else if (kind === "object" && (body as ObjectDef).source) {
      this.externalObjects?.put(body as ObjectDef);
    } else if (kind === "security") {
      await this.onSecurityPublished?.();
    } else if (kind === "flow") {
      await this.onFlowPublished?.();
    }
    return { version, plan };
  }

  private async checkSourcePublished(object: ObjectDef) {
    const datasource = object.source?.datasource ?? "";
    if (this.registry.get(object.name)) {
      throw new ServiceError("BAD_REQUEST", `Object '${object.name}' has a table of its own and cannot become an external object`, [
        { path: ["source"], message: "cannot be added to a published object with a table" },
      ]);
    }
    if (!(await this.getPublished("datasource", datasource))) {
      throw new ServiceError("BAD_REQUEST", `Cannot publish object '${object.name}': data source '${datasource}' is not published`, [
        { path: ["source", "datasource"], message: `data source '${datasource}' is not published` },
      ]);
    }
  }

  /** Published versions, newest first, with who published them (name and email, when the user still exists). */
  async history(kind: MetadataKind, name: string): Promise<VersionSummary[]> {
    const document = await this.requireDocument(kind, name);
    const versions = await this.platformDb.metadataVersion.findMany({
      where: { documentId: document.id },
      orderBy: { version: "desc" },
      select: { version: true, publishedAt: true, publishedById: true, note: true },
    });
    const userIds = [...new Set(versions.flatMap((version) => (version.publishedById ? [version.publishedById] : [])))];
    const users = userIds.length === 0 ? [] : await this.platformDb.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } });
    const byId = new Map(users.map((user) => [user.id, user]));
    return versions.map((version) => {
      const user = version.publishedById ? byId.get(version.publishedById) : undefined;
      return {
        ...version,
        publishedBy: version.publishedById ? { id: version.publishedById, name: user?.name ?? null, email: user?.email ?? null } : null,
        current: version.version === document.publishedVersion,
      };
    });
  }

  /**
   * Rollback, step one: makes published `version` the working draft again (validated against
   * today's schema), so the admin reviews it and publishes it as a new version through the
   * normal checks (a destructive object change still needs confirmation). Refused as a
   * conflict when the draft moved since `baseRevision`, like any other draft write.
   */
  async restoreVersion(kind: MetadataKind, name: string, version: number, baseRevision: number, userId: string): Promise<DocumentDetail> {
    const document = await this.requireDocument(kind, name);
    const row = await this.platformDb.metadataVersion.findUnique({ where: { documentId_version: { documentId: document.id, version } } });
    if (!row) throw new ServiceError("NOT_FOUND", `'${name}' has no version ${version}`);
    const result = metadataSchemas[kind].safeParse(JSON.parse(row.body));
    if (!result.success) {
      const issues = issuesFromZod(result.error);
      throw new ServiceError("BAD_REQUEST", `Version ${version} of '${name}' no longer fits today's ${kind} rules: ${summarizeIssues(issues)}`, issues);
    }
    const updated = await this.platformDb.metadataDocument.updateMany({
      where: { id: document.id, draftRevision: baseRevision },
      data: { draft: JSON.stringify(result.data), draftRevision: { increment: 1 }, updatedById: userId },
    });
    if (updated.count === 0) {
      throw new ServiceError(
        "CONFLICT",
        `This ${kind} was changed by someone else since you opened it (your revision ${baseRevision}, now ${document.draftRevision}). Reload before restoring version ${version}.`,
      );
    }
    return this.get(kind, name);
  }

  /**
   * "Restored version N" when `body` is exactly an earlier version (other than the live one), so
   * a rollback shows as such in the history and the metadata-change audit without a note typed.
   */
  private async restoredNote(documentId: string, publishedVersion: number | null, body: string): Promise<string | undefined> {
    const earlier = await this.platformDb.metadataVersion.findMany({
      where: { documentId, ...(publishedVersion !== null ? { version: { not: publishedVersion } } : {}) },
      orderBy: { version: "desc" },
      select: { version: true, body: true },
      take: 100,
    });
    const match = earlier.find((row) => row.body === body);
    return match ? `Restored version ${match.version}` : undefined;
  }

  async getVersion(kind: MetadataKind, name: string, version: number): Promise<MetadataBody> {
    const document = await this.requireDocument(kind, name);
    const body = await this.publishedBody(document.id, version);
    if (!body) throw new ServiceError("NOT_FOUND", `'${name}' has no version ${version}`);
    return body;
  }

  /** A published object (with a table of its own or from a data source). */
  private objectNamed(name: string): ObjectDef | undefined {
    return this.registry.get(name) ?? this.externalObjects?.get(name) ?? undefined;
  }

  private async objectsAfterPublish(object: ObjectDef): Promise<ObjectDef[]> {
    return [...this.registry.list().filter((other) => other.name !== object.name), object];
  }

  private async checkAppReferences(app: AppDef) {
    const flows = app.navigation.some((item) => item.type === "flow") ? new Map((await this.listPublished("flow")).map((flow) => [flow.name, flow])) : new Map();
    const issues = app.navigation.flatMap((item, index) => {
      if (item.type === "object" && !this.registry.get(item.object) && !this.externalObjects?.get(item.object)) {
        return [{ path: ["navigation", index, "object"], message: `object '${item.object}' is not published` }];
      }
      if (item.type === "flow") {
        const flow = flows.get(item.flow);
        if (!flow) return [{ path: ["navigation", index, "flow"], message: `flow '${item.flow}' is not published` }];
        if (flow.start.type !== "screen") return [{ path: ["navigation", index, "flow"], message: `flow '${item.flow}' is not a screen flow: only screen flows can be started from the navigation` }];
        if (flow.start.object) return [{ path: ["navigation", index, "flow"], message: `flow '${item.flow}' runs on a ${flow.start.object} record: it is offered on that object's record pages, not in the navigation` }];
      }
      return [];
    });
    if (issues.length > 0) {
      throw new ServiceError("BAD_REQUEST", `Cannot publish app '${app.name}': ${summarizeIssues(issues)}`, issues);
    }
  }

  private async requireDocument(kind: MetadataKind, name: string) {
    const document = await this.platformDb.metadataDocument.findUnique({ where: { kind_name: { kind, name } } });
    if (!document) throw new ServiceError("NOT_FOUND", `No ${kind} named '${name}'`);
    return document;
  }

  /** The published bodies of many documents in one query, by document id. */
  private async publishedBodies(documents: { id: string; publishedVersion: number | null }[]): Promise<Map<string, MetadataBody>> {
    const wanted = documents.filter((document) => document.publishedVersion !== null);
    if (wanted.length === 0) return new Map();
    const rows = await this.platformDb.metadataVersion.findMany({
      where: { OR: wanted.map((document) => ({ documentId: document.id, version: document.publishedVersion! })) },
      select: { documentId: true, body: true },
    });
    return new Map(rows.map((row) => [row.documentId, JSON.parse(row.body) as MetadataBody]));
  }

  private async publishedBody(documentId: string, version: number | null): Promise<MetadataBody | null> {
    if (version === null) return null;
    const row = await this.platformDb.metadataVersion.findUnique({ where: { documentId_version: { documentId, version } } });
    return row ? (JSON.parse(row.body) as MetadataBody) : null;
  }
}

function summarize(
  kind: MetadataKind,
  document: { name: string; draft: string | null; draftRevision: number; publishedVersion: number | null; updatedAt: Date },
  body: MetadataBody | null,
): DocumentSummary {
  return {
    kind,
    name: document.name,
    label: body?.label ?? document.name,
    hasDraft: document.draft !== null,
    draftRevision: document.draftRevision,
    publishedVersion: document.publishedVersion,
    updatedAt: document.updatedAt,
    // Forms and views belong to an object: lists group them by it.
    ...(body && "object" in body && typeof body.object === "string" ? { object: body.object } : {}),
  };
}

/**
 * A data source is published only if it can be reached (its tables are then introspected on use)
 * and still has the tables and columns its imported `objects` read.
 */
async function checkDatasourceReachable(datasource: DatasourceDef, objects: ObjectDef[]): Promise<void> {
  let connection: ReturnType<typeof openDatasource> | undefined;
  try {
    try {
      connection = openDatasource(datasource);
      await sql`select 1`.execute(connection.kysely);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ServiceError("BAD_REQUEST", `Cannot publish data source '${datasource.name}': cannot connect (${reason})`, [
        { path: ["url"], message: `cannot connect: ${reason}` },
      ]);
    }
    const missing = await missingSources(connection, objects);
    if (missing.length > 0) {
      throw new ServiceError("BAD_REQUEST", `Cannot publish data source '${datasource.name}': ${missing.map((issue) => issue.message).join("; ")}`, missing);
    }
  } finally {
    await connection?.destroy().catch(() => undefined);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
