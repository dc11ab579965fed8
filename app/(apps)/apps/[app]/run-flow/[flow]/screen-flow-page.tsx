"use client";
import { usePathname, useRouter } from "next/navigation";
import { ScreenFlowRunner } from "@/components/runtime/screen-flow-runner";
import { Breadcrumb } from "../../../_components/breadcrumb";

/** The run's id goes into the URL once it has started, so a reload shows the screen it is at. */
export function ScreenFlowPage({ flowName, recordId, runId, done, crumbs }: {
  flowName: string;
  recordId?: string;
  runId?: string;
  done: { href: string; label: string };
  crumbs: { label: string; href?: string }[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <div className="space-y-4">
      <Breadcrumb items={crumbs} />
      <ScreenFlowRunner
        flowName={flowName}
        recordId={recordId}
        runId={runId}
        doneHref={done.href}
        doneLabel={done.label}
        onStarted={(started) => {
          const search = new URLSearchParams();
          if (recordId) search.set("record", recordId);
          search.set("run", started);
          router.replace(`${pathname}?${search.toString()}`, { scroll: false });
        }}
      />
    </div>
  );
}
