import "server-only";
import { TRPCError } from "@trpc/server";
import { cache } from "react";
import type { FormDef } from "@/spec/form";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";

/**
 * The published form the signed-in user gets for a new record of `object` or for record `id`
 * (through `data.form`, with the request's permissions); null: the generated form. A record the
 * user cannot see gets null here, and the page's own load reports it.
 */
export const formForRequest = cache(async (object: string, id?: string): Promise<FormDef | null> => {
  const caller = createCaller(await createContext());
  try {
    return await caller.data.form({ object, id });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
});
