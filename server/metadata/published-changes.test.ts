import { describe, expect, it } from "vitest";
import { sqliteTestDatabase } from "@/test/services-harness";
import { runPublishedChangesSuite } from "./published-changes.suite";
import { PublishedMetadataSync, sharedReads } from "./published-changes";

runPublishedChangesSuite("SQLite, one file", sqliteTestDatabase);

describe("sharedReads", () => {
  it("lets requests that arrive during a read share the next read, which starts after it", async () => {
    let value = 0;
    const started: number[] = [];
    const pending: (() => void)[] = [];
    const read = sharedReads(() => {
      started.push(value);
      return new Promise<number>((resolve) => pending.push(() => resolve(started.length)));
    });
    const first = read();
    value = 1; // a change commits while the first read runs: later arrivals must not use that read
    const second = read();
    const third = read();
    expect(started).toEqual([0]);
    pending.shift()!();
    expect(await first).toBe(1);
    await Promise.resolve();
    await new Promise((tick) => setTimeout(tick, 0));
    expect(started).toEqual([0, 1]); // one more read, shared by the two that waited
    pending.shift()!();
    expect([await second, await third]).toEqual([2, 2]);
  });
});

describe("PublishedMetadataSync", () => {
  it("reloads once per change, and requests during a reload wait for it", async () => {
    let counter = 0;
    let reloads = 0;
    let release: () => void = () => undefined;
    const sync = new PublishedMetadataSync({
      counter: { read: async () => counter, close: () => undefined },
      loadedAt: 0,
      reload: () => {
        reloads++;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    await sync.ensureCurrent();
    expect(reloads).toBe(0);
    counter = 3;
    let done = 0;
    const waiting = [sync.ensureCurrent().then(() => done++), sync.ensureCurrent().then(() => done++)];
    await new Promise((tick) => setTimeout(tick, 0));
    expect([reloads, done]).toEqual([1, 0]);
    release();
    await Promise.all(waiting);
    expect([reloads, done, sync.appliedCounter]).toEqual([1, 2, 3]);
  });
});
