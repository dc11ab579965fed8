import { ChevronLeft } from "lucide-react";
import Link from "next/link";

/** A clear "not found" panel with a way back. */
export function NotFoundMessage({ title, message, backHref, backLabel }: { title: string; message: string; backHref: string; backLabel: string }) {
  return (
    <div className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-8 text-center shadow-xs" data-testid="not-found">
      <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-500">{message}</p>
      <Link href={backHref} className="mt-5 inline-flex items-center gap-1 text-sm font-medium text-brand-600 hover:underline">
        <ChevronLeft className="h-4 w-4" aria-hidden />
        {backLabel}
      </Link>
    </div>
  );
}
