import { z } from "zod";
import { identifier } from "./identifier";
import { objectSchema } from "./object";
import { appSchema } from "./app";
import { datasourceSchema } from "./datasource";
import { securitySchema } from "./security";
import { formSchema } from "./form";
import { viewSchema } from "./view";
import { flowSchema } from "./flow";

/** The kinds of metadata document the store keeps (more kinds arrive with later issues). */
export const METADATA_KINDS = ["object", "app", "datasource", "security", "form", "view", "flow"] as const;
export const metadataKind = z.enum(METADATA_KINDS);
export type MetadataKind = z.infer<typeof metadataKind>;

export const metadataSchemas = {
  object: objectSchema,
  app: appSchema,
  datasource: datasourceSchema,
  security: securitySchema,
  form: formSchema,
  view: viewSchema,
  flow: flowSchema,
} as const;

export const metadataRef = z.object({ kind: metadataKind, name: identifier });
export type MetadataRef = z.infer<typeof metadataRef>;
