"use client";
import { useSyncExternalStore } from "react";
import type { DocumentSnapshot, DocumentStore } from "./document-store";

/** Subscribes a component to a designer store. */
export function useDocumentStore<T>(store: DocumentStore<T>): DocumentSnapshot<T> {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
