/**
 * Unsaved designer edits kept in the browser (localStorage), per document, so a crash, a reload
 * or a "Take theirs" never loses them. A backup remembers the document it was based on and its
 * revision, so restoring it after someone else saved can merge instead of overwriting.
 */

export type BackupStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export type DraftBackup<T> = {
  document: T;
  /** What the edits were based on (the server's draft at `baseRevision`). */
  base: T;
  baseRevision: number;
  savedAt: string;
};

/** "edits": the current unsaved edits; "discarded": edits set aside by "Take theirs". */
export type BackupSlot = "edits" | "discarded";

export function backupKey(kind: string, name: string, slot: BackupSlot): string {
  return `objectstudio:draft-backup:${slot}:${kind}:${name}`;
}

/** The browser's localStorage, or null where there is none (server rendering, blocked storage). */
export function browserStorage(): BackupStorage | null {
  try {
    return typeof window !== "undefined" && window.localStorage ? window.localStorage : null;
  } catch {
    return null;
  }
}

export class LocalBackup<T> {
  constructor(
    private readonly storage: BackupStorage | null,
    private readonly kind: string,
    private readonly name: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  read(slot: BackupSlot): DraftBackup<T> | null {
    try {
      const text = this.storage?.getItem(backupKey(this.kind, this.name, slot));
      if (!text) return null;
      const value = JSON.parse(text) as Partial<DraftBackup<T>>;
      if (value.document === undefined || value.base === undefined || typeof value.baseRevision !== "number") return null;
      return value as DraftBackup<T>;
    } catch {
      return null;
    }
  }

  write(slot: BackupSlot, backup: Omit<DraftBackup<T>, "savedAt">): void {
    try {
      this.storage?.setItem(backupKey(this.kind, this.name, slot), JSON.stringify({ ...backup, savedAt: this.now().toISOString() }));
    } catch {
      // A full or blocked storage must not break editing; the edits are still in memory.
    }
  }

  clear(slot: BackupSlot): void {
    try {
      this.storage?.removeItem(backupKey(this.kind, this.name, slot));
    } catch {
      // Same as write.
    }
  }
}
