import "server-only";
import { TRPCError } from "@trpc/server";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { AppDef, ObjectDef } from "@/spec";
import type { DescribedObjectDef } from "@/components/runtime/record-access";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { getCurrentUser } from "@/server/auth/current-user";

/** The signed-in user, or a redirect to sign-in that comes back to `path`. */
export async function requireUser(path: string) {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}

/** The tRPC caller of this request (same procedures, permissions and errors as the client), made once per render. */
export const getCaller = cache(async () => createCaller(await createContext()));

export type LoadedApp = { app: AppDef; objects: ObjectDef[] };

/** The published app and its objects; null when there is no such (published) app. */
export const loadApp = cache(async (name: string): Promise<LoadedApp | null> => {
  const caller = await getCaller();
  try {
    const result = await caller.apps.get({ name });
    return { app: result.app as AppDef, objects: result.objects as ObjectDef[] };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
});

export type AppSummary = { name: string; label: string; description?: string; icon?: string };

export const listApps = cache(async (): Promise<AppSummary[]> => {
  const caller = await getCaller();
  return (await caller.apps.list()) as AppSummary[];
});

/** Published screen flows this user may start (system-context ones only for admins). */
export const startableScreenFlows = cache(async () => (await getCaller()).flows.screenFlows());

/** The object of an app's navigation, or null when the app does not show it. */
export function objectOfApp(loaded: LoadedApp, objectName: string): ObjectDef | null {
  const listed = loaded.app.navigation.some((item) => item.type === "object" && item.object === objectName);
  if (!listed) return null;
  return loaded.objects.find((object) => object.name === objectName) ?? null;
}

/** The navigation label of an object item: the item's label, else the object's plural label. */
export function navLabel(loaded: LoadedApp, objectName: string): string {
  const item = loaded.app.navigation.find((entry) => entry.type === "object" && entry.object === objectName);
  const object = loaded.objects.find((candidate) => candidate.name === objectName);
  return (item && item.type === "object" && item.label) || object?.pluralLabel || objectName;
}

/** An object as the user sees it (hidden fields left out) and what they may do: null when they may not read it. */
const describeObject = cache(async (name: string): Promise<DescribedObjectDef | null> => {
  const caller = await getCaller();
  try {
    return (await caller.data.describe({ object: name })) as DescribedObjectDef;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "FORBIDDEN") return null;
    throw error;
  }
});

/** The names of the app's objects the user may read (the navigation leaves the others out). */
export async function readableObjects(loaded: LoadedApp): Promise<Set<string>> {
  const described = await Promise.all(loaded.objects.map((object) => describeObject(object.name)));
  return new Set(described.filter((object) => object !== null).map((object) => object.name));
}

/**
 * The app and object of an object route, after the sign-in check; null parts mean "not found",
 * `noAccess` that the user may not read the object. The object is as `data.describe` gives it
 * to this user, so pages render only readable fields and follow `access`.
 */
export async function loadObjectRoute(appName: string, objectName: string, path: string) {
  await requireUser(path);
  const loaded = await loadApp(appName);
  // The app lists the object, though `apps.get` leaves out the objects the user may not read.
  const listed = !!loaded?.app.navigation.some((item) => item.type === "object" && item.object === objectName);
  if (!listed) return { loaded, object: null, noAccess: false };
  try {
    const object = await describeObject(objectName);
    return { loaded, object, noAccess: !object };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return { loaded, object: null, noAccess: false };
    throw error;
  }
}
