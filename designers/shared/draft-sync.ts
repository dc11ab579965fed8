import type { DocumentStore } from "./document-store";
import { LocalBackup, type BackupStorage, type DraftBackup } from "./local-backup";
import { threeWayMerge } from "./three-way-merge";
import { diffDocuments, type DocumentChange } from "./version-diff";

/**
 * Saving a designer's draft, outside React (unit-tested with a fake transport): optimistic
 * concurrency on the draft revision, and nothing lost when it goes wrong.
 *
 * - A stale save (CONFLICT) fetches the other person's draft and opens a conflict: the readable
 *   changes on both sides, "Merge" when a three-way merge is clean, "Keep mine" (save mine over
 *   theirs) or "Take theirs" (load theirs; mine go to a local backup that can be restored).
 * - Every unsaved edit is backed up in localStorage; opening the designer with a backup that
 *   differs from the server offers to restore it.
 * - Optional autosave a moment after the last edit, when the document passes local validation.
 */

export type Issue = { path: (string | number)[]; message: string };
export type ServerState = { publishedVersion: number | null; hasDraft: boolean };
export type SaveFailure<T> = { message: string; issues: Issue[]; code: string | null; sent: T };
export type Notice = { tone: "success" | "error" | "info"; text: string } | null;

/** What the server answers for a document (the shape of `metadata.get`). */
export type ServerDetail = {
  draftRevision: number;
  publishedVersion: number | null;
  hasDraft: boolean;
  draft: unknown;
  published: unknown;
};

/** A failed server call, as the transport reports it. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export type DraftTransport<T> = {
  /** Saves `body` as the draft if the server's revision is still `baseRevision`; throws a TransportError. */
  save(body: T, baseRevision: number): Promise<ServerDetail>;
  /** The server's current document. */
  fetch(): Promise<ServerDetail>;
};

export type ConflictState<T> = {
  /** What my edits were based on, my document, and the other person's saved draft. */
  base: T;
  mine: T;
  theirs: T;
  theirsRevision: number;
  /** base → theirs: what they changed. */
  theirChanges: DocumentChange[];
  /** base → mine: what I changed. */
  myChanges: DocumentChange[];
  /** theirs → mine: what "Keep mine" would change in their draft. */
  differences: DocumentChange[];
  /** The clean three-way merge, or null when both sides changed the same thing. */
  merged: T | null;
  mergeConflicts: string[];
  pending: boolean;
};

export type SaveStatus =
  | { state: "idle" }
  | { state: "unsaved" }
  | { state: "saving" }
  | { state: "saved" }
  | { state: "failed"; reason: string };

export type SyncSnapshot<T> = {
  server: ServerState;
  saving: boolean;
  failure: SaveFailure<T> | null;
  notice: Notice;
  conflict: ConflictState<T> | null;
  /** Unsaved edits found in the local backup on opening (offer "Restore unsaved edits" / "Discard"). */
  recovery: DraftBackup<T> | null;
  /** Edits set aside by "Take theirs" (offer to restore them). */
  discarded: DraftBackup<T> | null;
  status: SaveStatus;
};

export type DraftSyncOptions<T> = {
  kind: string;
  name: string;
  transport: DraftTransport<T>;
  initial: ServerState;
  validate?: (document: T) => Issue[];
  /** Where unsaved edits are backed up (null: no backup). */
  storage?: BackupStorage | null;
  autosave?: boolean;
  /** Quiet time after the last edit before an autosave (ms). */
  autosaveDelayMs?: number;
  /** While true (a dialog is open), autosave waits. */
  isPaused?: () => boolean;
};

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function bodyOf<T>(detail: ServerDetail): T | null {
  return (detail.draft ?? detail.published ?? null) as T | null;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export class DraftSync<T> {
  private readonly store: DocumentStore<T>;
  private readonly options: DraftSyncOptions<T>;
  private readonly backup: LocalBackup<T>;
  private readonly listeners = new Set<() => void>();
  private state: Omit<SyncSnapshot<T>, "status">;
  private snapshot: SyncSnapshot<T>;
  private inFlight: Promise<boolean> | null = null;
  private lastResult: "saved" | { reason: string } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(store: DocumentStore<T>, options: DraftSyncOptions<T>) {
    this.store = store;
    this.options = options;
    this.backup = new LocalBackup<T>(options.storage ?? null, options.kind, options.name);
    this.state = { server: options.initial, saving: false, failure: null, notice: null, conflict: null, recovery: null, discarded: null };
    this.snapshot = this.buildSnapshot();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): SyncSnapshot<T> => this.snapshot;

  /** Starts watching the store (backups, autosave) and looks for backups left by an earlier session. Returns the stop function. */
  start(): () => void {
    this.stop();
    const recovery = this.backup.read("edits");
    if (recovery && !same(recovery.document, this.store.document)) this.state = { ...this.state, recovery };
    else if (recovery) this.backup.clear("edits");
    const discarded = this.backup.read("discarded");
    if (discarded) this.state = { ...this.state, discarded };
    this.unsubscribe = this.store.subscribe(() => this.onStoreChange());
    this.emit();
    return () => this.stop();
  }

  private stop() {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.clearTimer();
  }

  setAutosave(enabled: boolean) {
    this.options.autosave = enabled;
    if (!enabled) this.clearTimer();
  }

  setServer(server: ServerState) {
    this.update({ server });
  }

  setFailure(failure: SaveFailure<T> | null) {
    this.update({ failure });
  }

  setNotice(notice: Notice) {
    this.update({ notice });
  }

  private onStoreChange() {
    if (this.store.dirty) {
      this.backup.write("edits", { document: this.store.document, base: this.store.savedDocument, baseRevision: this.store.revision });
      if (this.options.autosave) this.schedule();
    } else {
      this.backup.clear("edits");
      this.clearTimer();
      // Back to what the server holds (an undo, a fix typed back): the refusal of another version
      // no longer applies, and everything on screen is saved. A conflict stays until resolved.
      if (this.lastResult !== null && this.lastResult !== "saved" && !this.state.conflict) {
        this.lastResult = "saved";
        this.state = { ...this.state, failure: null };
      }
    }
    this.emit();
  }

  /** Saves the draft. Returns whether it was saved; on a conflict the conflict state opens. */
  async save({ auto = false }: { auto?: boolean } = {}): Promise<boolean> {
    while (this.inFlight) await this.inFlight;
    if (auto && (!this.store.dirty || this.state.conflict)) return false;
    const run = this.runSave(auto);
    this.inFlight = run;
    try {
      return await run;
    } finally {
      this.inFlight = null;
      this.emit();
    }
  }

  private async runSave(auto: boolean): Promise<boolean> {
    const sent = this.store.document;
    const local = this.options.validate?.(sent) ?? [];
    if (local.length > 0) {
      const message = `The ${this.options.kind} has ${plural(local.length, "problem")}; it was not saved.`;
      this.lastResult = { reason: local.length === 1 ? `${local[0]!.path.join(".")}: ${local[0]!.message}` : plural(local.length, "problem") };
      // An autosave of a half-typed edit stays quiet: the header says why it was not saved.
      if (!auto) this.update({ failure: { message, issues: local, code: "BAD_REQUEST", sent }, notice: null });
      else this.emit();
      return false;
    }
    this.update({ saving: true, notice: auto ? this.state.notice : null });
    try {
      const detail = await this.options.transport.save(sent, this.store.revision);
      this.store.markSaved(sent, detail.draftRevision);
      this.lastResult = "saved";
      this.update({
        saving: false,
        failure: null,
        server: { publishedVersion: detail.publishedVersion, hasDraft: detail.hasDraft },
        notice: auto ? this.state.notice : { tone: "success", text: "Draft saved." },
      });
      return true;
    } catch (error) {
      const failure = toFailure(error, sent);
      this.lastResult = { reason: failure.code === "CONFLICT" ? "someone else saved a newer draft" : failure.message };
      this.update({ saving: false, failure });
      if (failure.code === "CONFLICT") await this.openConflict(this.store.savedDocument, sent);
      return false;
    }
  }

  /** Fetches the other person's draft and opens the conflict between it and `mine`. */
  private async openConflict(base: T, mine: T) {
    try {
      const detail = await this.options.transport.fetch();
      const theirs = bodyOf<T>(detail);
      if (theirs === null) return;
      this.update({ server: { publishedVersion: detail.publishedVersion, hasDraft: detail.hasDraft } });
      this.showConflict(base, mine, theirs, detail.draftRevision);
    } catch (error) {
      this.update({ notice: { tone: "error", text: `Could not load the other version: ${toFailure(error, mine).message}` } });
    }
  }

  private showConflict(base: T, mine: T, theirs: T, theirsRevision: number) {
    const { merged, conflicts } = threeWayMerge(base, mine, theirs);
    this.update({
      conflict: {
        base,
        mine,
        theirs,
        theirsRevision,
        theirChanges: diffDocuments(base, theirs),
        myChanges: diffDocuments(base, mine),
        differences: diffDocuments(theirs, mine),
        merged: conflicts.length === 0 ? merged : null,
        mergeConflicts: conflicts,
        pending: false,
      },
    });
  }

  /** Conflict: loads theirs, applies the clean merge of both edits, and saves it. */
  async merge(): Promise<boolean> {
    const conflict = this.state.conflict;
    if (!conflict?.merged) return false;
    // Edits made while the dialog was open are merged too.
    const mine = this.store.document;
    const merged = same(mine, conflict.mine) ? conflict.merged : threeWayMerge(conflict.base, mine, conflict.theirs).merged;
    this.update({ conflict: { ...conflict, pending: true } });
    this.store.load(conflict.theirs, conflict.theirsRevision);
    this.store.replace("Merge with saved changes", merged);
    this.update({ conflict: null, failure: null });
    const saved = await this.save();
    if (saved) this.update({ notice: { tone: "success", text: "Merged your edits with theirs and saved." } });
    return saved;
  }

  /** Conflict: saves my document over theirs. */
  async keepMine(): Promise<boolean> {
    const conflict = this.state.conflict;
    if (!conflict) return false;
    this.update({ conflict: { ...conflict, pending: true } });
    // My edits are now based on their draft: saving replaces it.
    this.store.markSaved(conflict.theirs, conflict.theirsRevision);
    this.update({ conflict: null, failure: null });
    const saved = await this.save();
    if (saved) this.update({ notice: { tone: "success", text: "Saved your version over theirs." } });
    return saved;
  }

  /** Conflict: loads their draft; my edits go to the local backup ("Restore my edits"). */
  takeTheirs() {
    const conflict = this.state.conflict;
    if (!conflict) return;
    const discarded = { document: this.store.document, base: this.store.savedDocument, baseRevision: this.store.revision };
    this.backup.write("discarded", discarded);
    this.store.load(conflict.theirs, conflict.theirsRevision);
    this.lastResult = null;
    this.update({
      conflict: null,
      failure: null,
      discarded: this.backup.read("discarded") ?? { ...discarded, savedAt: new Date().toISOString() },
      notice: { tone: "info", text: "Loaded their version. Your edits are kept in a local backup: restore them any time." },
    });
  }

  /** Keeps the current unsaved edits in the local backup ("Restore my edits") before the document is replaced. */
  setAside() {
    if (!this.store.dirty) return;
    const discarded = { document: this.store.document, base: this.store.savedDocument, baseRevision: this.store.revision };
    this.backup.write("discarded", discarded);
    this.update({ discarded: this.backup.read("discarded") ?? { ...discarded, savedAt: new Date().toISOString() } });
  }

  /** Closes the conflict dialog; my edits stay in the designer (saving again reopens it). */
  closeConflict() {
    this.update({ conflict: null });
  }

  restoreRecovery() {
    const recovery = this.state.recovery;
    if (!recovery) return;
    this.update({ recovery: null });
    this.restoreBackup(recovery, "Restore unsaved edits");
  }

  discardRecovery() {
    this.backup.clear("edits");
    this.update({ recovery: null });
  }

  restoreDiscarded() {
    const discarded = this.state.discarded;
    if (!discarded) return;
    this.backup.clear("discarded");
    this.update({ discarded: null });
    this.restoreBackup(discarded, "Restore your set-aside edits");
  }

  forgetDiscarded() {
    this.backup.clear("discarded");
    this.update({ discarded: null });
  }

  /**
   * Puts backed-up edits back. If the server moved on since the backup, their changes are merged
   * in when that is clean; otherwise the conflict dialog opens (nothing is overwritten silently).
   */
  private restoreBackup(backup: DraftBackup<T>, label: string) {
    const serverDocument = this.store.savedDocument;
    if (backup.baseRevision === this.store.revision || same(backup.base, serverDocument)) {
      this.store.replace(label, backup.document);
      return;
    }
    const { merged, conflicts } = threeWayMerge(backup.base, backup.document, serverDocument);
    if (conflicts.length === 0) {
      this.store.replace(label, merged);
      this.update({ notice: { tone: "info", text: "Restored your edits, merged with changes saved since." } });
      return;
    }
    this.store.replace(label, backup.document);
    this.showConflict(backup.base, backup.document, serverDocument, this.store.revision);
  }

  /** Loads the server's current document; local edits are set aside in the backup first ("Restore my edits"). */
  async reload(): Promise<void> {
    const detail = await this.options.transport.fetch();
    const hadEdits = this.store.dirty;
    this.setAside();
    this.loadDetail(detail);
    this.update({
      notice: { tone: "info", text: hadEdits ? "Reloaded the latest saved version. Your edits are kept in a local backup." : "Reloaded the latest saved version." },
    });
  }

  /** Loads a document the server just produced (a reload, a restored version). */
  loadDetail(detail: ServerDetail) {
    const body = bodyOf<T>(detail);
    if (body !== null) this.store.load(body, detail.draftRevision);
    this.lastResult = null;
    this.update({ server: { publishedVersion: detail.publishedVersion, hasDraft: detail.hasDraft }, failure: null, conflict: null });
  }

  private schedule() {
    this.clearTimer();
    this.timer = setTimeout(() => void this.fireAutosave(), this.options.autosaveDelayMs ?? 2000);
  }

  private clearTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async fireAutosave() {
    this.timer = null;
    if (!this.options.autosave || !this.store.dirty) return;
    if (this.inFlight || this.state.conflict || this.options.isPaused?.()) {
      this.schedule();
      return;
    }
    await this.save({ auto: true });
  }

  private update(patch: Partial<Omit<SyncSnapshot<T>, "status">>) {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private buildSnapshot(): SyncSnapshot<T> {
    return { ...this.state, status: this.status() };
  }

  private status(): SaveStatus {
    if (this.state.saving) return { state: "saving" };
    const dirty = this.store.dirty;
    if (this.lastResult !== null && this.lastResult !== "saved" && dirty) return { state: "failed", reason: this.lastResult.reason };
    if (dirty) return { state: "unsaved" };
    return this.lastResult === "saved" ? { state: "saved" } : { state: "idle" };
  }

  private emit() {
    const next = this.buildSnapshot();
    if (same(next.status, this.snapshot?.status) && Object.keys(this.state).every((key) => next[key as keyof typeof next] === this.snapshot[key as keyof typeof next])) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

function toFailure<T>(error: unknown, sent: T): SaveFailure<T> {
  if (error instanceof TransportError) return { message: error.message, issues: error.issues, code: error.code, sent };
  return { message: error instanceof Error ? error.message : String(error), issues: [], code: null, sent };
}
