"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/components/trpc";
import type { ObjectDef } from "@/spec/object";

/** A published object as the security designer lists it; `definition` once loaded. */
export type CatalogObject = { name: string; label: string; definition: ObjectDef | null };
export type CatalogUser = { id: string; name: string | null; email: string; role: string };

export type SecurityCatalog = {
  objects: CatalogObject[];
  objectsLoading: boolean;
  users: CatalogUser[];
  usersLoading: boolean;
  userName: (id: string) => string;
};

/** What the security document refers to: the published objects (with their fields) and the platform's users. */
export function useSecurityCatalog(): SecurityCatalog {
  const trpc = useTRPC();
  const list = useQuery(trpc.metadata.list.queryOptions({ kind: "object" }));
  const published = useMemo(() => (list.data ?? []).filter((item) => item.publishedVersion !== null), [list.data]);
  const details = useQueries({
    queries: published.map((item) => ({ ...trpc.metadata.get.queryOptions({ kind: "object", name: item.name }), staleTime: 60_000 })),
  });
  const users = useQuery(trpc.users.list.queryOptions());
  const objects = published.map((item, index) => {
    const definition = (details[index]?.data?.published ?? null) as ObjectDef | null;
    return { name: item.name, label: definition?.label ?? item.label, definition };
  });
  const userList = useMemo(() => users.data ?? [], [users.data]);
  const userName = useMemo(() => {
    const byId = new Map(userList.map((user) => [user.id, user.name ?? user.email]));
    return (id: string) => byId.get(id) ?? id;
  }, [userList]);
  return { objects, objectsLoading: list.isPending, users: userList, usersLoading: users.isPending, userName };
}
