import { z } from "zod";
import { identifier } from "./identifier";

/** An app: a named set of navigation entries over objects (objects are shared between apps), screen flows and links. */
export const navigationItemSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("object"),
    object: identifier,
    /** Overrides the object's plural label in the navigation. */
    label: z.string().trim().min(1).max(120).optional(),
  }),
  z.object({
    type: z.literal("flow"),
    /** A published screen flow that runs on no record: the tab starts it. */
    flow: identifier,
    /** Overrides the flow's label in the navigation. */
    label: z.string().trim().min(1).max(120).optional(),
  }),
  z.object({
    type: z.literal("url"),
    label: z.string().trim().min(1, "is required").max(120),
    url: z.string().regex(/^(https?:\/\/|\/)/, "must be an http(s) URL or a path starting with /"),
  }),
]);
export type NavigationItem = z.infer<typeof navigationItemSchema>;

export const appSchema = z.object({
  name: identifier,
  label: z.string().trim().min(1, "is required").max(120),
  description: z.string().max(2000).optional(),
  icon: z.string().max(60).default("app-window"),
  navigation: z.array(navigationItemSchema).max(100).default([]),
});
export type AppDef = z.infer<typeof appSchema>;
export type AppInput = z.input<typeof appSchema>;
