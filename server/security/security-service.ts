import "server-only";
import type { PlatformDb } from "@/server/db/platform-db";
import type { MetadataService } from "@/server/metadata/metadata-service";
import type { SecurityContext } from "@/server/objectql/objectql";
import { SECURITY_DOCUMENT, type SecurityModel } from "@/spec/security";
import { userAccess, type UserAccess } from "./access";

/**
 * The published security model, as the engine enforces it. Until a model is published every
 * signed-in user may work with every record (the state of a fresh install), and so while the
 * published model is switched off (`enforced: false`); once it is on, each
 * user gets exactly what their profile, permission sets, role and the sharing settings give.
 * Platform admins are never restricted (they build the apps; the studio is theirs).
 */
export class SecurityService {
  private model: SecurityModel | null = null;
  private version = "none";
  private loaded = false;
  private loading: Promise<void> | null = null;
  private readonly accessCache = new Map<string, UserAccess>();

  constructor(private readonly deps: { platformDb: PlatformDb; metadata: MetadataService }) {}

  /**
   * Loads the model once; `force` reads the published version again (after a publish here, or
   * when the published-change counter says another process published: services.ts).
   */
  async ensureFresh(force = false): Promise<void> {
    if (this.loaded && !force && !this.loading) return;
    if (this.loading && !force) return this.loading;
    // A forced load starts after any load in flight, which may have read before the change.
    const load: Promise<void> = (this.loading ?? Promise.resolve()).catch(() => undefined).then(() => this.load()).finally(() => {
      if (this.loading === load) this.loading = null;
    });
    this.loading = load;
    await load;
  }

  private async load(): Promise<void> {
    const document = await this.deps.platformDb.metadataDocument.findUnique({
      where: { kind_name: { kind: "security", name: SECURITY_DOCUMENT } },
      select: { publishedVersion: true },
    });
    const version = document?.publishedVersion ? `v${document.publishedVersion}` : "none";
    this.loaded = true;
    if (version === this.version) return;
    this.model = version === "none" ? null : await this.deps.metadata.getPublished("security", SECURITY_DOCUMENT);
    this.version = version;
    this.accessCache.clear();
  }

  /** The enforced model (null: none published). */
  async current(): Promise<SecurityModel | null> {
    await this.ensureFresh();
    return this.model;
  }

  /** What a request's user may do; null means unrestricted (admins, or no model published). */
  async accessFor(ctx: SecurityContext & { kind: "user" }): Promise<UserAccess | null> {
    await this.ensureFresh();
    if (ctx.role === "admin" || !this.model || !this.model.enforced) return null;
    let access = this.accessCache.get(ctx.userId);
    if (!access) {
      access = userAccess(this.model, this.version, ctx.userId);
      this.accessCache.set(ctx.userId, access);
      if (this.accessCache.size > 10_000) this.accessCache.delete(this.accessCache.keys().next().value!);
    }
    return access;
  }
}
