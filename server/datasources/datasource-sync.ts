import "server-only";
import type { MetadataService } from "@/server/metadata/metadata-service";
import type { DatasourceRegistry } from "./datasource-registry";
import { sameJson, type ExternalObjects } from "./external-objects";

/**
 * Keeps one process's DatasourceRegistry and ExternalObjects in line with the published
 * `datasource` and `object` documents, which other processes (other web processes, workers)
 * change too. `reload()` runs at start and whenever the published-change counter moved
 * (server/metadata/published-changes.ts, checked on every request); only what changed is
 * replaced, so unchanged sources keep their connection pools and engines.
 */
export class DatasourceSync {
  constructor(
    private readonly deps: {
      metadata: Pick<MetadataService, "listPublished">;
      datasources: DatasourceRegistry;
      externalObjects: ExternalObjects;
    },
  ) {}

  /** Reads every published data source and external object (nothing connects yet: a pool opens on first use). */
  async reload(): Promise<void> {
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
