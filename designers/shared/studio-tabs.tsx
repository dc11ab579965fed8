"use client";
import { Tabs } from "radix-ui";
import type { ReactNode } from "react";
import { cn } from "@/components/ui";

/** The tab strip under a designer's header. */
export function StudioTabs({
  value,
  onValueChange,
  tabs,
  children,
  className,
}: {
  value: string;
  onValueChange: (value: string) => void;
  tabs: { value: string; label: ReactNode; attention?: boolean }[];
  children: ReactNode;
  className?: string;
}) {
  return (
    <Tabs.Root value={value} onValueChange={onValueChange} className={cn("flex flex-1 flex-col", className)}>
      <Tabs.List className="flex gap-1 border-b border-slate-200 bg-white px-6" aria-label="Designer sections">
        {tabs.map((tab) => (
          <Tabs.Trigger
            key={tab.value}
            value={tab.value}
            className={cn(
              "relative -mb-px inline-flex items-center gap-1.5 border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-500 hover:text-slate-800",
              "data-[state=active]:border-brand-600 data-[state=active]:text-brand-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
            )}
          >
            {tab.label}
            {tab.attention && <span className="h-1.5 w-1.5 rounded-full bg-red-500" aria-label="has problems" />}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {children}
    </Tabs.Root>
  );
}

export const TabPanel = Tabs.Content;
