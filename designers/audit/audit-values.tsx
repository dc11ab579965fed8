"use client";

/** A value from the audit trail (JSON) as short text in a table cell: "—" for none, the full value on hover. */
export function AuditValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-slate-400">—</span>;
  const text = typeof value === "string" ? value : Array.isArray(value) && value.every((item) => typeof item !== "object") ? value.join(", ") : JSON.stringify(value);
  return <div className="max-w-56 truncate" title={text}>{text}</div>;
}

/** Who made a change: email (or name, or id for a deleted user); the platform itself when nobody. */
export function AuditActor({ actor }: { actor: { id: string; email: string | null; name: string | null } | null }) {
  if (!actor) return <span className="text-slate-500">Platform</span>;
  return <span title={actor.id}>{actor.email ?? actor.name ?? actor.id}</span>;
}
