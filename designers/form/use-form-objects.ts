"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc";
import type { ObjectDef } from "@/spec/object";

/**
 * The objects a form designer needs, as published (conditions, related lists and lookup
 * filters are checked against published metadata, as on publish): every published object by
 * name, so related lists and lookup filters can look at other objects.
 */
export function useFormObjects() {
  const trpc = useTRPC();
  const list = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  const published = (list.data ?? []).filter((summary) => summary.publishedVersion !== null);
  const details = useQueries({
    queries: published.map((summary) => ({ ...trpc.metadata.get.queryOptions({ kind: "object", name: summary.name }), staleTime: 60_000 })),
  });
  const pending = list.isPending || details.some((query) => query.isPending);
  const error = list.error ?? details.find((query) => query.error)?.error ?? null;
  // A new Map each render is fine: its values are the queries' (stable) data objects.
  const objects = new Map<string, ObjectDef>();
  for (const query of details) {
    const body = query.data?.published as ObjectDef | null | undefined;
    if (body) objects.set(body.name, body);
  }
  return { objects, pending, error };
}
