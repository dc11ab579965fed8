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

  /** Forgets a published external object (deleted). */
  remove(name: string): void {
    const previous = this.objects.get(name);
    if (!previous) return;
    this.objects.delete(name);
    if (previous.source) this.invalidate(previous.source.datasource);
  }

  /**
   * Makes the published external objects exactly `objects` (as loaded from the metadata store),
   * touching only what changed so that unchanged data sources keep their engines.
   */
  replaceAll(objects: ObjectDef[]): void {
    const wanted = new Map(objects.filter((object) => object.source).map((object) => [object.name, object]));
    for (const name of [...this.objects.keys()]) if (!wanted.has(name)) this.remove(name);
    for (const object of wanted.values()) {
      const current = this.objects.get(object.name);
      if (!current || !sameJson(current, object)) this.put(object);
    }
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

/** Deep equality of two JSON documents (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
}
