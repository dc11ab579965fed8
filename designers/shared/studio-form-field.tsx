import type { ReactNode } from "react";
import { Label } from "@/components/ui";

/**
 * A form row like components/ui FormField, but the required marker sits outside the <label>,
 * so the label's text (and `getByLabel(..., { exact: true })`) is exactly the label.
 */
export function StudioFormField({
  label,
  htmlFor,
  required,
  help,
  error,
  children,
}: {
  label: string;
  htmlFor: string;
  required?: boolean;
  help?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <div className="flex items-baseline gap-0.5">
        <Label htmlFor={htmlFor}>{label}</Label>
        {required && <span className="text-sm text-red-600" aria-hidden>*</span>}
      </div>
      {children}
      {help && !error && <p className="text-xs text-slate-500">{help}</p>}
      {error && (
        <p className="text-xs text-red-600" role="alert" id={`${htmlFor}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
