import type { FormInput } from "@/spec/form";

/** The demo CRM's published forms (tabs, sections, conditional fields). */
export const DEMO_FORMS: FormInput[] = [];
