import "server-only";
import type { DataDatabase } from "@/server/db/data-db";
import type { ObjectDef } from "@/spec/object";
import { loadAppliedObjects } from "./schema/applied-schema-store";
import { ObjectQLError } from "./errors";

/**
 * The applied object definitions, cached in memory. The engine resolves every name through
 * this, so queries only see objects whose tables really exist.
 *
 * The cache is per process: whoever syncs a schema calls `reload()`; every other process
 * reloads when the published-change counter moves (server/metadata/published-changes.ts),
 * which a trigger on `_os_object_schema` bumps in the sync's own transaction.
 */
export class ObjectRegistry {
  private objects: Map<string, ObjectDef> | null = null;
  /** Counts loads: caches derived from the definitions key on it. */
  generation = 0;
  private loading: Promise<void> | null = null;

  /**
   * `load` defaults to the definitions applied to `db`; external data sources pass their
   * introspected objects instead (server/datasources).
   */
  constructor(
    private readonly db: DataDatabase,
    private readonly load: () => Promise<ObjectDef[]> = () => loadAppliedObjects(db),
  ) {}

  /** Whether the definitions are cached (then `get`/`require` answer without awaiting `ensureLoaded`). */
  get loaded(): boolean {
    return this.objects !== null;
  }

  /** Loads the definitions if they are not cached yet. */
  async ensureLoaded(): Promise<void> {
    if (this.objects) return;
    if (!this.loading) {
      this.loading = this.load()
        .then((objects) => {
          this.objects = new Map(objects.map((object) => [object.name, object]));
          this.generation++;
        })
        .finally(() => {
          this.loading = null;
        });
    }
    await this.loading;
  }

  /** Drops the cache; the next `ensureLoaded()` reads `_os_object_schema` again. */
  invalidate(): void {
    this.objects = null;
  }

  /**
   * Reads the definitions again and swaps them in at once: requests running meanwhile keep
   * answering from the previous ones instead of finding the registry unloaded.
   */
  async reload(): Promise<void> {
    if (!this.objects) return this.ensureLoaded();
    const previous = this.objects;
    const objects = await this.load();
    // Nothing changed (another kind of metadata was published): keep the definitions' identity,
    // so the plans compiled for them stay cached. A plan may join other objects, so any change
    // replaces them all.
    const unchanged = objects.length === previous.size && objects.every((object) => {
      const before = previous.get(object.name);
      return before !== undefined && JSON.stringify(before) === JSON.stringify(object);
    });
    if (unchanged) return;
    this.objects = new Map(objects.map((object) => [object.name, object]));
    this.generation++;
  }

  private cache(): Map<string, ObjectDef> {
    if (!this.objects) throw new Error("ObjectRegistry is not loaded: await ensureLoaded() or reload() first");
    return this.objects;
  }

  get(name: string): ObjectDef | undefined {
    return this.cache().get(name);
  }

  require(name: string): ObjectDef {
    const object = this.cache().get(name);
    if (!object) {
      throw new ObjectQLError("NOT_FOUND", `Unknown object '${name}'`, {
        path: ["object"],
        issues: [{ path: ["object"], message: `Unknown object '${name}'` }],
      });
    }
    return object;
  }

  list(): ObjectDef[] {
    return [...this.cache().values()];
  }
}
