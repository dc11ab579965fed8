/**
 * A metadata document edited in a designer, kept outside React: the current document, the
 * undo/redo stacks (one entry per command) and the dirty flag against the last saved version.
 * React reads it with `useSyncExternalStore(store.subscribe, store.getSnapshot)`.
 *
 * Documents are immutable values: every command produces a new document (structural sharing),
 * so a history entry is just the document before and after the command.
 */

export type HistoryEntry<T> = {
  label: string;
  before: T;
  after: T;
  /** Consecutive commands with the same key (e.g. typing in one input) merge into one entry. */
  coalesceKey?: string;
  at: number;
};

export type DocumentSnapshot<T> = {
  document: T;
  /** The server revision the document was loaded from / last saved as (for conflict checks). */
  baseRevision: number;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
};

/** A point in the history to squash to or bail back to (see `DocumentStore.mark`). */
export type HistoryMark<T> = { readonly depth: number; readonly document: T };

export type DocumentStoreOptions = {
  baseRevision?: number;
  /** Clock used to coalesce rapid edits; injectable for tests. */
  now?: () => number;
  /** Edits with the same coalesce key closer than this (ms) become one history entry. */
  coalesceMs?: number;
  /** Most history entries kept. */
  historyLimit?: number;
};

export type CommandOptions = { coalesceKey?: string };

function serialize(value: unknown): string {
  return JSON.stringify(value);
}

export class DocumentStore<T> {
  private current: T;
  private saved: T;
  private savedJson: string;
  private baseRevision: number;
  private past: HistoryEntry<T>[] = [];
  private future: HistoryEntry<T>[] = [];
  private readonly listeners = new Set<() => void>();
  private snapshot: DocumentSnapshot<T>;
  private readonly now: () => number;
  private readonly coalesceMs: number;
  private readonly historyLimit: number;

  constructor(initial: T, options: DocumentStoreOptions = {}) {
    this.current = initial;
    this.saved = initial;
    this.savedJson = serialize(initial);
    this.baseRevision = options.baseRevision ?? 0;
    this.now = options.now ?? (() => Date.now());
    this.coalesceMs = options.coalesceMs ?? 1000;
    this.historyLimit = options.historyLimit ?? 200;
    this.snapshot = this.buildSnapshot();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): DocumentSnapshot<T> => this.snapshot;

  get document(): T {
    return this.current;
  }

  get dirty(): boolean {
    return this.snapshot.dirty;
  }

  get revision(): number {
    return this.baseRevision;
  }

  /** The document as the server has it at `revision` (the base of the unsaved edits). */
  get savedDocument(): T {
    return this.saved;
  }

  /** Labels of the entries on the undo stack, oldest first. */
  get historyLabels(): string[] {
    return this.past.map((entry) => entry.label);
  }

  /**
   * Runs a command: `recipe` returns the next document (or the same reference for "no change").
   * Returns whether the document changed.
   */
  protected apply(label: string, recipe: (document: T) => T, options: CommandOptions = {}): boolean {
    const before = this.current;
    const after = recipe(before);
    if (after === before) return false;
    const at = this.now();
    const last = this.past[this.past.length - 1];
    if (
      options.coalesceKey !== undefined &&
      last !== undefined &&
      last.coalesceKey === options.coalesceKey &&
      last.after === before &&
      at - last.at <= this.coalesceMs
    ) {
      this.past[this.past.length - 1] = { ...last, after, at };
    } else {
      this.past.push({ label, before, after, coalesceKey: options.coalesceKey, at });
      if (this.past.length > this.historyLimit) this.past.shift();
    }
    this.future = [];
    this.current = after;
    this.emit();
    return true;
  }

  /**
   * A history mark (as in tldraw): remember where the history is, run several commands (a drag
   * that moves an element step by step, a multi-part edit), then `squashToMark` makes them one
   * undo step or `bailToMark` throws them away (a cancelled drag).
   */
  mark(): HistoryMark<T> {
    return { depth: this.past.length, document: this.current };
  }

  /** Merges every entry since `mark` into one entry labelled `label`. */
  squashToMark(mark: HistoryMark<T>, label: string): void {
    if (this.past.length <= mark.depth || this.past[mark.depth]?.before !== mark.document) return;
    const merged = this.past.splice(mark.depth);
    this.past.push({ label, before: mark.document, after: this.current, at: merged[merged.length - 1]!.at });
    this.emit();
  }

  /** Undoes every entry since `mark` and forgets them (they cannot be redone). */
  bailToMark(mark: HistoryMark<T>): void {
    // Only while the history since the mark is intact (an undo below the mark and a new command rewrite it).
    const intact =
      this.past.length === mark.depth ? this.current === mark.document : this.past.length > mark.depth && this.past[mark.depth]?.before === mark.document;
    if (!intact) return;
    this.past.splice(mark.depth);
    this.current = mark.document;
    this.future = [];
    this.emit();
  }

  /** Runs `commands` as one undo step. */
  batch(label: string, commands: () => void): void {
    const mark = this.mark();
    commands();
    this.squashToMark(mark, label);
  }

  undo(): boolean {
    const entry = this.past.pop();
    if (!entry) return false;
    this.future.push(entry);
    this.current = entry.before;
    this.emit();
    return true;
  }

  redo(): boolean {
    const entry = this.future.pop();
    if (!entry) return false;
    this.past.push({ ...entry, coalesceKey: undefined });
    this.current = entry.after;
    this.emit();
    return true;
  }

  /**
   * Replaces the whole document as one undoable command (restoring a backup, applying a merge).
   * Returns whether the document changed.
   */
  replace(label: string, document: T): boolean {
    return this.apply(label, (current) => (serialize(current) === serialize(document) ? current : document));
  }

  /** Records that `saved` is now the server's version at `revision` (the editor keeps its document). */
  markSaved(saved: T, revision: number): void {
    this.saved = saved;
    this.savedJson = serialize(saved);
    this.baseRevision = revision;
    // A later edit must not merge into an entry from before the save.
    const last = this.past[this.past.length - 1];
    if (last) this.past[this.past.length - 1] = { ...last, coalesceKey: undefined };
    this.emit();
  }

  /** Replaces the document with a fresh server version, clearing the history. */
  load(document: T, revision: number): void {
    this.current = document;
    this.saved = document;
    this.savedJson = serialize(document);
    this.baseRevision = revision;
    this.past = [];
    this.future = [];
    this.emit();
  }

  private buildSnapshot(): DocumentSnapshot<T> {
    const last = this.past[this.past.length - 1];
    const next = this.future[this.future.length - 1];
    return {
      document: this.current,
      baseRevision: this.baseRevision,
      dirty: serialize(this.current) !== this.savedJson,
      canUndo: last !== undefined,
      canRedo: next !== undefined,
      undoLabel: last?.label ?? null,
      redoLabel: next?.label ?? null,
    };
  }

  private emit(): void {
    this.snapshot = this.buildSnapshot();
    for (const listener of this.listeners) listener();
  }
}
