import type { ReactNode } from "react";

/** The top bar of a studio page: breadcrumb, title, meta line and actions. */
export function PageHeader({
  breadcrumb,
  title,
  meta,
  actions,
}: {
  breadcrumb?: ReactNode;
  title: ReactNode;
  meta?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 px-6 py-3 backdrop-blur">
      {breadcrumb && <div className="mb-0.5 text-xs text-slate-500">{breadcrumb}</div>}
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1">
          <h1 className="truncate text-lg font-semibold leading-7">{title}</h1>
          {meta && <div className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-slate-500">{meta}</div>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
    </header>
  );
}
