import "server-only";
import { z } from "zod";
import { identifier } from "@/spec";
import type { ObjectDef } from "@/spec/object";
import type { SecurityModel } from "@/spec/security";
import type { SecurityContext } from "@/server/objectql";
import { RECORD_SHARE_TABLE } from "@/server/objectql/schema/applied-schema-store";
import { orgWideDefaultOf } from "@/server/security/access";
import { explainAccess, type ExplainRecord, type ExplainShare, type ExplainSubject } from "@/server/security/explain-access";
import { ServiceError } from "@/server/errors";
import type { Services } from "@/server/services";
import { adminProcedure, createTRPCRouter, userContext } from "../trpc";

/** Master records followed for controlled-by-parent objects (one more than the engine follows, so "too deep" is explained). */
const MAX_PARENTS = 6;

/** A refused call whose issue names the input at `path`. */
export function refusal(code: "BAD_REQUEST" | "NOT_FOUND" | "FORBIDDEN", message: string, path: (string | number)[]): ServiceError {
  return new ServiceError(code, message, [{ path, message }]);
}

/** A platform user by id or email. */
export async function findUser(services: Services, idOrEmail: string) {
  return services.platformDb.user.findFirst({
    where: { OR: [{ id: idOrEmail }, { email: idOrEmail.toLowerCase() }] },
    select: { id: true, name: true, email: true, role: true },
  });
}

/**
 * The record as stored (read by `reader`, the admin asking: admins see every field), its
 * manual shares, which sharing rules match it (asked of the database, so criteria mean exactly
 * what the engine compiles), and for controlled-by-parent objects the master record, likewise.
 */
export async function loadSubject(services: Services, reader: SecurityContext, model: SecurityModel | null, object: ObjectDef, record: ExplainRecord, depth: number): Promise<ExplainSubject> {
  const shares = (await services.dataDb.kysely
    .selectFrom(RECORD_SHARE_TABLE)
    .select(["principal", "access"])
    .where("object", "=", object.name)
    .where("record_id", "=", record.id)
    .execute()) as ExplainShare[];
  const ruleMatches: Record<string, boolean> = {};
  for (const rule of model?.sharingRules.filter((candidate) => candidate.object === object.name) ?? []) {
    const filter = { and: [{ field: "id", operator: "=" as const, value: record.id }, rule.criteria] };
    // A rule the engine cannot compile matches nothing there either.
    ruleMatches[rule.name] = await services.objectql.count(reader, { object: object.name, filter }).then((count) => count > 0, () => false);
  }
  const subject: ExplainSubject = { object, record, shares, ruleMatches };
  const master = object.fields.find((field) => field.type === "master_detail");
  if (model && master && master.type === "master_detail" && orgWideDefaultOf(model, object.name) === "controlled_by_parent" && depth < MAX_PARENTS) {
    const value = record[master.name];
    const parentId = value !== null && typeof value === "object" ? (value as { id: string }).id : (value as string | null | undefined);
    const parentObject = services.registry.get(master.reference);
    const parent = parentId && parentObject ? await services.objectql.findOne(reader, master.reference, parentId) : null;
    subject.parent = parent && parentObject ? await loadSubject(services, reader, model, parentObject, parent as ExplainRecord, depth + 1) : null;
  }
  return subject;
}

/** Access explain for admins: why a user can or cannot read and edit a record. */
export const accessRouter = createTRPCRouter({
  explain: adminProcedure
    .input(z.object({ userId: z.string().trim().min(1, "is required").max(255), object: identifier, recordId: z.string().min(1).max(64) }))
    .query(async ({ ctx, input }) => {
      const { services } = ctx;
      const user = await findUser(services, input.userId);
      if (!user) throw refusal("NOT_FOUND", `No user '${input.userId}'`, ["userId"]);
      const object = services.registry.get(input.object);
      if (!object) {
        if (services.externalObjects.get(input.object)) {
          throw refusal("BAD_REQUEST", `Object '${input.object}' reads an external data source: access explain covers the platform's own objects`, ["object"]);
        }
        throw refusal("NOT_FOUND", `Unknown object '${input.object}'`, ["object"]);
      }
      // Read as the admin asking (admins are never restricted), never as the platform itself.
      const reader = userContext(ctx.user);
      const record = await services.objectql.findOne(reader, input.object, input.recordId);
      if (!record) throw refusal("NOT_FOUND", `No ${input.object} record with id '${input.recordId}'`, ["recordId"]);
      const model = await services.security.current();
      const subject = await loadSubject(services, reader, model, object, record as ExplainRecord, 0);
      const users = await services.platformDb.user.findMany({ select: { id: true, name: true, email: true } });
      const names = new Map(users.map((candidate) => [candidate.id, candidate.name ?? candidate.email]));
      const explanation = explainAccess({
        ...subject,
        model,
        user: { id: user.id, role: user.role },
        objects: (name) => services.registry.get(name),
        userName: (id) => names.get(id) ?? id,
      });
      return { user, object: input.object, recordId: record.id, ownerId: record.owner_id, ...explanation };
    }),
});
