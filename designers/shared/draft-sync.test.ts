import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DocumentStore } from "./document-store";
import { DraftSync, TransportError, type DraftTransport, type ServerDetail } from "./draft-sync";
import { backupKey, type BackupStorage } from "./local-backup";

type Doc = { name: string; label: string; fields: { id: string; label: string }[] };

/** A store with one public command, as designers have. */
class TestStore extends DocumentStore<Doc> {
  setLabel(label: string) {
    this.apply("Label", (doc) => ({ ...doc, label }), { coalesceKey: "label" });
  }
  setFieldLabel(id: string, label: string) {
    this.apply("Field label", (doc) => ({ ...doc, fields: doc.fields.map((field) => (field.id === id ? { ...field, label } : field)) }));
  }
}

const loaded: Doc = { name: "deal", label: "Deal", fields: [{ id: "f1", label: "Name" }, { id: "f2", label: "Stage" }] };

/** An in-memory server with the real compare-and-set on the revision. */
class FakeServer implements DraftTransport<Doc> {
  draft: Doc = loaded;
  revision = 4;
  saves: { body: Doc; baseRevision: number }[] = [];
  latency: Promise<void> | null = null;

  detail(): ServerDetail {
    return { draftRevision: this.revision, publishedVersion: 1, hasDraft: true, draft: this.draft, published: loaded };
  }
  async save(body: Doc, baseRevision: number) {
    this.saves.push({ body, baseRevision });
    if (this.latency) await this.latency;
    if (baseRevision !== this.revision) throw new TransportError("This object was changed by someone else", "CONFLICT");
    this.draft = body;
    this.revision += 1;
    return this.detail();
  }
  async fetch() {
    return this.detail();
  }
  /** Someone else saves. */
  otherSaves(change: (doc: Doc) => Doc) {
    this.draft = change(this.draft);
    this.revision += 1;
  }
}

function memoryStorage(): BackupStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value), removeItem: (key) => void data.delete(key) };
}

function setup(options: { autosave?: boolean; storage?: BackupStorage; paused?: () => boolean; validate?: (doc: Doc) => { path: (string | number)[]; message: string }[] } = {}) {
  const server = new FakeServer();
  const store = new TestStore(loaded, { baseRevision: 4 });
  const storage = options.storage ?? memoryStorage();
  const sync = new DraftSync(store, {
    kind: "object", name: "deal", transport: server, initial: { publishedVersion: 1, hasDraft: true }, storage,
    autosave: options.autosave, autosaveDelayMs: 2000, isPaused: options.paused, validate: options.validate,
  });
  const stop = sync.start();
  return { server, store, sync, storage, stop };
}

describe("DraftSync saving", () => {
  it("saves with the base revision and marks the store saved", async () => {
    const { server, store, sync } = setup();
    store.setLabel("Opportunity");
    expect(sync.getSnapshot().status).toEqual({ state: "unsaved" });
    expect(await sync.save()).toBe(true);
    expect(server.saves).toEqual([{ body: { ...loaded, label: "Opportunity" }, baseRevision: 4 }]);
    expect(store.revision).toBe(5);
    expect(store.dirty).toBe(false);
    expect(sync.getSnapshot()).toMatchObject({ status: { state: "saved" }, notice: { text: "Draft saved." }, failure: null });
  });

  it("refuses locally invalid documents with their issues", async () => {
    const { server, store, sync } = setup({ validate: (doc) => (doc.label ? [] : [{ path: ["label"], message: "is required" }]) });
    store.setLabel("");
    expect(await sync.save()).toBe(false);
    expect(server.saves).toEqual([]);
    expect(sync.getSnapshot().failure).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: ["label"], message: "is required" }] });
  });
});

describe("DraftSync conflicts", () => {
  it("opens the conflict with both sides' readable changes and a clean merge", async () => {
    const { server, store, sync } = setup();
    server.otherSaves((doc) => ({ ...doc, fields: doc.fields.map((f) => (f.id === "f1" ? { ...f, label: "Title" } : f)) }));
    store.setFieldLabel("f2", "Phase");
    expect(await sync.save()).toBe(false);
    const conflict = sync.getSnapshot().conflict!;
    expect(conflict.theirChanges.map((c) => c.text)).toEqual(['Field "Name": label "Name" → "Title"']);
    expect(conflict.myChanges.map((c) => c.text)).toEqual(['Field "Stage": label "Stage" → "Phase"']);
    expect(conflict.differences.map((c) => c.text)).toEqual(['Field "Title": label "Title" → "Name"', 'Field "Stage": label "Stage" → "Phase"']);
    expect(conflict.merged?.fields.map((f) => f.label)).toEqual(["Title", "Phase"]);
    expect(sync.getSnapshot().failure?.code).toBe("CONFLICT");
    // The user's edits are untouched while the dialog is open.
    expect(store.document.fields[1]!.label).toBe("Phase");

    expect(await sync.merge()).toBe(true);
    expect(server.draft.fields.map((f) => f.label)).toEqual(["Title", "Phase"]);
    expect(server.saves.at(-1)!.baseRevision).toBe(5);
    expect(store.dirty).toBe(false);
    expect(sync.getSnapshot()).toMatchObject({ conflict: null, failure: null, notice: { text: "Merged your edits with theirs and saved." } });
    // The merge is one undo step on top of their version.
    expect(store.getSnapshot().undoLabel).toBe("Merge with saved changes");
  });

  it("offers no merge when both changed the same thing; keep mine saves mine over theirs", async () => {
    const { server, store, sync } = setup();
    server.otherSaves((doc) => ({ ...doc, label: "Theirs" }));
    store.setLabel("Mine");
    await sync.save();
    const conflict = sync.getSnapshot().conflict!;
    expect(conflict.merged).toBeNull();
    expect(conflict.mergeConflicts).toEqual(["label"]);
    expect(conflict.differences.map((c) => c.text)).toEqual(['Label "Theirs" → "Mine"']);
    expect(await sync.keepMine()).toBe(true);
    expect(server.draft.label).toBe("Mine");
    expect(server.revision).toBe(6);
    expect(store.dirty).toBe(false);
    // Keeping mine kept the undo history.
    expect(store.getSnapshot().undoLabel).toBe("Label");
  });

  it("take theirs loads their draft and keeps mine in a restorable backup", async () => {
    const storage = memoryStorage();
    const { server, store, sync } = setup({ storage });
    server.otherSaves((doc) => ({ ...doc, label: "Theirs" }));
    store.setLabel("Mine");
    await sync.save();
    sync.takeTheirs();
    expect(store.document.label).toBe("Theirs");
    expect(store.dirty).toBe(false);
    expect(store.revision).toBe(5);
    expect(sync.getSnapshot().discarded?.document.label).toBe("Mine");
    expect(JSON.parse(storage.data.get(backupKey("object", "deal", "discarded"))!).document.label).toBe("Mine");
    // Restoring conflicts with theirs (both changed the label): the dialog opens again, with my edits in the designer.
    sync.restoreDiscarded();
    expect(store.document.label).toBe("Mine");
    expect(sync.getSnapshot().conflict?.theirs.label).toBe("Theirs");
    expect(storage.data.has(backupKey("object", "deal", "discarded"))).toBe(false);
  });
});

describe("DraftSync reload", () => {
  it("loads the server's draft and sets unsaved edits aside", async () => {
    const { server, store, sync } = setup();
    server.otherSaves((doc) => ({ ...doc, label: "Theirs" }));
    store.setFieldLabel("f1", "Mine");
    await sync.reload();
    expect(store.document.label).toBe("Theirs");
    expect(store.revision).toBe(5);
    expect(sync.getSnapshot().discarded?.document.fields[0]!.label).toBe("Mine");
    // Their change and mine touch different things: restoring merges them.
    sync.restoreDiscarded();
    expect(store.document).toMatchObject({ label: "Theirs", fields: [{ id: "f1", label: "Mine" }, { id: "f2", label: "Stage" }] });
    expect(sync.getSnapshot().conflict).toBeNull();
  });
});

describe("DraftSync local backup", () => {
  it("backs up every unsaved edit and clears it once saved", async () => {
    const storage = memoryStorage();
    const { store, sync } = setup({ storage });
    const key = backupKey("object", "deal", "edits");
    store.setLabel("Draft 1");
    expect(JSON.parse(storage.data.get(key)!)).toMatchObject({ document: { label: "Draft 1" }, base: loaded, baseRevision: 4 });
    await sync.save();
    expect(storage.data.has(key)).toBe(false);
  });

  it("offers the backup on reopening and restores it (merging what was saved since)", () => {
    const storage = memoryStorage();
    const first = setup({ storage });
    first.store.setFieldLabel("f2", "Phase");
    first.stop();
    // Reopened later: someone saved a change to another field since.
    const server = new FakeServer();
    server.otherSaves((doc) => ({ ...doc, label: "Opportunity" }));
    const store = new TestStore(server.draft, { baseRevision: server.revision });
    const sync = new DraftSync(store, { kind: "object", name: "deal", transport: server, initial: { publishedVersion: 1, hasDraft: true }, storage });
    sync.start();
    expect(sync.getSnapshot().recovery?.document.fields[1]!.label).toBe("Phase");
    sync.restoreRecovery();
    expect(store.document).toEqual({ ...loaded, label: "Opportunity", fields: [loaded.fields[0], { id: "f2", label: "Phase" }] });
    expect(store.dirty).toBe(true);
    expect(sync.getSnapshot()).toMatchObject({ recovery: null, notice: { text: "Restored your edits, merged with changes saved since." } });
  });

  it("discards a backup on request, and ignores one equal to the server's document", () => {
    const storage = memoryStorage();
    storage.setItem(backupKey("object", "deal", "edits"), JSON.stringify({ document: { ...loaded, label: "Old" }, base: loaded, baseRevision: 4, savedAt: "" }));
    const { sync } = setup({ storage });
    expect(sync.getSnapshot().recovery).not.toBeNull();
    sync.discardRecovery();
    expect(sync.getSnapshot().recovery).toBeNull();
    expect(storage.data.size).toBe(0);
    storage.setItem(backupKey("object", "deal", "edits"), JSON.stringify({ document: loaded, base: loaded, baseRevision: 4, savedAt: "" }));
    expect(setup({ storage }).sync.getSnapshot().recovery).toBeNull();
    expect(storage.data.size).toBe(0);
  });
});

describe("DraftSync autosave", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("saves two seconds after the last edit", async () => {
    const { server, store, sync } = setup({ autosave: true });
    store.setLabel("O");
    await vi.advanceTimersByTimeAsync(1500);
    store.setLabel("Op");
    await vi.advanceTimersByTimeAsync(1500);
    expect(server.saves).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(600);
    expect(server.saves.map((save) => save.body.label)).toEqual(["Op"]);
    expect(sync.getSnapshot().status).toEqual({ state: "saved" });
    // Autosave does not announce itself in the notice banner.
    expect(sync.getSnapshot().notice).toBeNull();
  });

  it("waits while paused or while a save is in flight, and reports why it did not save", async () => {
    let paused = true;
    const { server, store, sync } = setup({ autosave: true, paused: () => paused, validate: (doc) => (doc.label ? [] : [{ path: ["label"], message: "is required" }]) });
    store.setLabel("Paused");
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.saves).toHaveLength(0);
    paused = false;
    let release!: () => void;
    server.latency = new Promise((resolve) => (release = resolve));
    await vi.advanceTimersByTimeAsync(2000);
    expect(sync.getSnapshot().status).toEqual({ state: "saving" });
    store.setLabel("During save");
    await vi.advanceTimersByTimeAsync(4000);
    expect(server.saves).toHaveLength(1);
    release();
    server.latency = null;
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.saves.map((save) => save.body.label)).toEqual(["Paused", "During save"]);

    store.setLabel("");
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.saves).toHaveLength(2);
    expect(sync.getSnapshot().status).toEqual({ state: "failed", reason: "label: is required" });
    // A half-typed edit does not raise the failure banner.
    expect(sync.getSnapshot().failure).toBeNull();
  });

  it("says all is saved when a refused document is typed back to what the server holds", async () => {
    const { server, store, sync } = setup({ autosave: true, validate: (doc) => (doc.label ? [] : [{ path: ["label"], message: "is required" }]) });
    store.setLabel("Saved");
    await vi.advanceTimersByTimeAsync(2000);
    expect(sync.getSnapshot().status).toEqual({ state: "saved" });
    store.setLabel("");
    // "Save draft" on the broken document: refused, with the problems listed.
    expect(await sync.save()).toBe(false);
    expect(sync.getSnapshot().failure?.issues?.[0]?.path).toEqual(["label"]);
    expect(sync.getSnapshot().status).toEqual({ state: "failed", reason: "label: is required" });
    // Typed back to the saved label: nothing to send, and nothing is wrong any more.
    store.setLabel("Saved");
    expect(store.dirty).toBe(false);
    expect(sync.getSnapshot().status).toEqual({ state: "saved" });
    expect(sync.getSnapshot().failure).toBeNull();
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.saves).toHaveLength(1);
  });

  it("opens the conflict when an autosave is stale, and stops autosaving until it is resolved", async () => {
    const { server, store, sync } = setup({ autosave: true });
    server.otherSaves((doc) => ({ ...doc, label: "Theirs" }));
    store.setLabel("Mine");
    await vi.advanceTimersByTimeAsync(2000);
    expect(sync.getSnapshot().conflict).not.toBeNull();
    expect(sync.getSnapshot().status).toEqual({ state: "failed", reason: "someone else saved a newer draft" });
    store.setLabel("Mine again");
    await vi.advanceTimersByTimeAsync(10000);
    expect(server.saves).toHaveLength(1);
  });
});
