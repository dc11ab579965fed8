import type { DataDatabase } from "./data-db";

/**
 * `setup` (creating tables a module needs) run once per database handle: later calls share the
 * first call's promise; a failed setup is forgotten, so the next call tries again.
 */
export function oncePerDatabase(setup: (db: DataDatabase) => Promise<void>): (db: DataDatabase) => Promise<void> {
  const ready = new WeakMap<DataDatabase, Promise<void>>();
  return (db) => {
    let promise = ready.get(db);
    if (!promise) {
      promise = setup(db).catch((error: unknown) => {
        ready.delete(db);
        throw error;
      });
      ready.set(db, promise);
    }
    return promise;
  };
}
