import "server-only";
import type { PlatformDb } from "@/server/db/platform-db";
import type { MetadataService } from "@/server/metadata/metadata-service";
import type { DatasourceRegistry } from "./datasource-registry";
import { sameJson, type ExternalObjects } from "./external-objects";

/** Kinds whose published versions decide what a process's registries hold. */
const WATCHED_KINDS = ["datasource", "object"];

/**
 * Keeps one process's DatasourceRegistry and ExternalObjects in line with the published
 * metadata, which other processes (other web processes, workers) change too. Instead of a
 * notification channel, a process compares a cheap fingerprint of the published versions of
 * `datasource` and `object` documents (count, newest publish time, sum of version numbers: a
 * publish or a deletion anywhere changes it) with the one it loaded, at most once per
 * `intervalMs`, or at once when a caller missed a name (`ensureFresh({ force: true })`). Only
 * when it differs are the published definitions read again, and only what changed is replaced,
 * so unchanged sources keep their connection pools and engines.
 */
export class DatasourceSync {
  private loadedFingerprint: string | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | null = null;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      platformDb: PlatformDb;
      metadata: Pick<MetadataService, "listPublished">;
      datasources: DatasourceRegistry;
      externalObjects: ExternalObjects;
      /** How long a check stays good (default 2 s). */
      intervalMs?: number;
      now?: () => number;
    },
  ) {
    this.intervalMs = deps.intervalMs ?? 2000;
    this.now = deps.now ?? Date.now;
  }

  /** Reads every published data source and external object (at start; nothing connects yet). */
  async load(): Promise<void> {
    this.checkedAt = this.now();
    const fingerprint = await this.fingerprint();
    await this.apply();
    this.loadedFingerprint = fingerprint;
  }

  /**
   * Reloads what another process changed, if anything: checks at most once per interval unless
   * `force` (a name was not found). Never throws: a failed check is logged and retried later.
   */
  ensureFresh(options: { force?: boolean } = {}): Promise<void> {
    if (!options.force && this.now() - this.checkedAt < this.intervalMs) return Promise.resolve();
    this.pending ??= this.check().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async check(): Promise<void> {
    this.checkedAt = this.now();
    try {
      // Read before applying: a change made while applying shows up at the next check.
      const fingerprint = await this.fingerprint();
      if (fingerprint === this.loadedFingerprint) return;
      await this.apply();
      this.loadedFingerprint = fingerprint;
    } catch (error) {
      console.error("Data sources: could not check for changes made by other processes:", error);
    }
  }

  private async fingerprint(): Promise<string> {
    const versions = await this.deps.platformDb.metadataVersion.aggregate({
      where: { document: { kind: { in: WATCHED_KINDS } } },
      _count: { _all: true },
      _max: { publishedAt: true },
      _sum: { version: true },
    });
    return `${versions._count._all}:${versions._max.publishedAt?.getTime() ?? 0}:${versions._sum.version ?? 0}`;
  }

  private async apply(): Promise<void> {
    const { metadata, datasources, externalObjects } = this.deps;
    const published = await metadata.listPublished("datasource");
    const names = new Set(published.map((datasource) => datasource.name));
    for (const current of datasources.list()) {
      if (names.has(current.name)) continue;
      await datasources.remove(current.name);
      externalObjects.invalidate(current.name);
    }
    for (const datasource of published) {
      const current = datasources.get(datasource.name);
      if (current && sameJson(current, datasource)) continue;
      try {
        await datasources.register(datasource);
      } catch (error) {
        console.error(`Data source '${datasource.name}' not attached:`, error);
      }
      externalObjects.invalidate(datasource.name);
    }
    externalObjects.replaceAll((await metadata.listPublished("object")).filter((object) => object.source));
  }
}
