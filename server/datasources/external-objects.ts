import "server-only";
import type { ObjectDef } from "@/spec/object";
import type { ObjectQL } from "@/server/objectql/objectql";
import type { DatasourceRegistry } from "./datasource-registry";

/**
 * The published objects that read an external data source (objects with `source`). The native
 * ObjectRegistry holds only objects with tables of their own, so these are kept here, grouped by
 * data source, each group queried through one read-only engine over exactly its published
 * definitions (rebuilt when an object or its data source is published again).
 */
export class ExternalObjects {
  private readonly objects = new Map<string, ObjectDef>();
  private readonly engines = new Map<string, Promise<ObjectQL>>();

  constructor(private readonly datasources: DatasourceRegistry) {}

  /** Adds or replaces a published external object. */
  put(object: ObjectDef): void {
    if (!object.source) return;
    const previous = this.objects.get(object.name);
    this.objects.set(object.name, object);
    this.invalidate(object.source.datasource);
    if (previous?.source) this.invalidate(previous.source.datasource);
  }

  /** Drops the cached engine of a data source (its definition or objects changed). */
  invalidate(datasource: string): void {
    this.engines.delete(datasource);
  }

  get(name: string): ObjectDef | undefined {
    return this.objects.get(name);
  }

  list(datasource?: string): ObjectDef[] {
    return [...this.objects.values()].filter((object) => datasource === undefined || object.source?.datasource === datasource);
  }

  /** The read-only engine serving `object`, or undefined when it is not an external object. */
  engineFor(object: string): Promise<ObjectQL> | undefined {
    const datasource = this.objects.get(object)?.source?.datasource;
    if (!datasource) return undefined;
    let engine = this.engines.get(datasource);
    if (!engine) {
      engine = this.datasources.objectql(datasource, this.list(datasource));
      void engine.catch(() => this.engines.delete(datasource));
      this.engines.set(datasource, engine);
    }
    return engine;
  }
}
