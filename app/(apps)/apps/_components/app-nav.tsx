"use client";
import { ExternalLink } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

export type AppNavItem =
  // `icon` is rendered by the server (MetadataIcon), so the icon set is not in the client bundle.
  | { type: "object"; href: string; label: string; icon: ReactNode }
  | { type: "url"; href: string; label: string };

/** The app's navigation: object pages (highlighted when open) and links. */
export function AppNav({ label, items }: { label: string; items: AppNavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={`${label} navigation`}>
      <ul className="flex gap-1 overflow-x-auto md:flex-col md:overflow-visible">
        {items.map((item) => {
          if (item.type === "url") {
            const external = /^https?:\/\//i.test(item.href);
            return (
              <li key={`url-${item.href}-${item.label}`}>
                <a
                  href={item.href}
                  {...(external ? { target: "_blank", rel: "noreferrer noopener" } : {})}
                  className="flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                >
                  <ExternalLink className="h-4 w-4 text-slate-400" aria-hidden />
                  {item.label}
                </a>
              </li>
            );
          }
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium",
                  active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
                )}
              >
                <span className={cn("flex shrink-0", active ? "text-brand-600" : "text-slate-400")}>{item.icon}</span>
                <span className="truncate">{item.label}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
