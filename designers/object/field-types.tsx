import {
  AlignLeft, Braces, Calendar, CalendarClock, CircleDollarSign, Hash, Link, Link2, List, ListChecks,
  ListOrdered, Mail, Network, Percent, Phone, Sigma, ToggleLeft, Type, type LucideIcon,
} from "lucide-react";
import { FIELD_TYPES, type FieldType } from "@/spec/object";

export const FIELD_TYPE_INFO: Record<FieldType, { label: string; icon: LucideIcon; description: string }> = {
  text: { label: "Text", icon: Type, description: "A single line of text" },
  textarea: { label: "Long text", icon: AlignLeft, description: "Several lines of text" },
  email: { label: "Email", icon: Mail, description: "An email address" },
  url: { label: "URL", icon: Link, description: "A web address" },
  phone: { label: "Phone", icon: Phone, description: "A phone number" },
  number: { label: "Number", icon: Hash, description: "A number with optional decimals" },
  currency: { label: "Currency", icon: CircleDollarSign, description: "An amount of money" },
  percent: { label: "Percent", icon: Percent, description: "A percentage" },
  boolean: { label: "Checkbox", icon: ToggleLeft, description: "Yes or no" },
  date: { label: "Date", icon: Calendar, description: "A calendar date" },
  datetime: { label: "Date and time", icon: CalendarClock, description: "A date with a time" },
  select: { label: "Picklist", icon: List, description: "One value from a list" },
  multiselect: { label: "Multi-select picklist", icon: ListChecks, description: "Several values from a list" },
  lookup: { label: "Lookup relationship", icon: Link2, description: "A link to a record of another object" },
  master_detail: { label: "Master-detail relationship", icon: Network, description: "A required parent record; children are deleted with it" },
  autonumber: { label: "Auto number", icon: ListOrdered, description: "A generated sequence such as INV-0001" },
  json: { label: "JSON", icon: Braces, description: "Structured data" },
  formula: { label: "Formula", icon: Sigma, description: "A value computed from other fields" },
  rollup: { label: "Roll-up summary", icon: Sigma, description: "Count, sum, min, max or average of child records" },
};

export const FIELD_TYPE_OPTIONS = FIELD_TYPES.map((type) => ({
  value: type,
  label: FIELD_TYPE_INFO[type].label,
}));

export function FieldTypeIcon({ type, className }: { type: FieldType; className?: string }) {
  const Icon = FIELD_TYPE_INFO[type].icon;
  return <Icon className={className ?? "h-4 w-4"} aria-hidden />;
}
