import { ChevronRight } from "lucide-react";
import Link from "next/link";

/** "Accounts › Acme Corp": where the page sits in the app. */
export function Breadcrumb({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
      <ol className="flex flex-wrap items-center gap-1">
        {items.map((item, index) => (
          <li key={`${item.label}-${index}`} className="flex items-center gap-1">
            {index > 0 && <ChevronRight className="h-3.5 w-3.5 text-slate-300" aria-hidden />}
            {item.href ? (
              <Link href={item.href} className="hover:text-slate-800 hover:underline">{item.label}</Link>
            ) : (
              <span aria-current="page" className="text-slate-700">{item.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
