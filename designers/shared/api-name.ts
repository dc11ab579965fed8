/** Derives an API name (snake_case identifier) from a human label: "Annual Revenue" -> "annual_revenue". */
export function toApiName(label: string, fallbackPrefix = "x"): string {
  const base = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 63)
    .replace(/_+$/g, "");
  if (base === "") return "";
  return /^[a-z]/.test(base) ? base : `${fallbackPrefix}_${base}`.slice(0, 63);
}
