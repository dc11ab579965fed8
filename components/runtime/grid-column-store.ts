"use client";
import { useCallback, useSyncExternalStore } from "react";
import { parseStoredColumnState, type StoredColumnState } from "./grid-columns";

/** Same-tab listeners (the `storage` event only reports other tabs' writes). */
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled: columns simply do not persist
  }
}

/** The user's column order and widths for one grid (object + view), kept in localStorage. */
export function useStoredColumnState(key: string): [StoredColumnState | null, (next: StoredColumnState) => void] {
  const raw = useSyncExternalStore(subscribe, () => read(key), () => null);
  const save = useCallback(
    (next: StoredColumnState) => {
      try {
        window.localStorage.setItem(key, JSON.stringify(next));
      } catch {
        // Full or disabled storage: the change holds until the page reloads.
      }
      listeners.forEach((listener) => listener());
    },
    [key],
  );
  // Parsed per raw string, so the same entry gives the same object between renders.
  return [parseCached(raw), save];
}

let lastRaw: string | null = null;
let lastParsed: StoredColumnState | null = null;
function parseCached(raw: string | null): StoredColumnState | null {
  if (raw !== lastRaw) {
    lastRaw = raw;
    lastParsed = parseStoredColumnState(raw);
  }
  return lastParsed;
}
