"use client";
import { useMutation } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { useState } from "react";
import type { Filter, OrderBy } from "@/spec";
import { Button } from "@/components/ui/button";
import { errorMessage, useTRPC } from "@/components/trpc";

/** Hands a text to the browser as a downloaded file. */
export function downloadCsv(text: string, filename: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * "Export CSV": the grid's current view (filter, search, sort) as the server exports it
 * (`data.export`: at most 10,000 rows, only what the user may read, refused without Export).
 */
export function ExportCsvButton({ object, filter, search, orderBy }: { object: string; filter?: Filter; search?: string; orderBy?: OrderBy[] }) {
  const trpc = useTRPC();
  const exportMutation = useMutation(trpc.data.export.mutationOptions());
  const [notice, setNotice] = useState<{ tone: "error" | "info"; text: string } | null>(null);

  async function run() {
    setNotice(null);
    try {
      const result = await exportMutation.mutateAsync({ object, filter, search, orderBy });
      downloadCsv(result.csv, result.filename);
      if (result.truncated) setNotice({ tone: "info", text: `Exported the first ${result.rows.toLocaleString()} records` });
    } catch (error) {
      setNotice({ tone: "error", text: errorMessage(error) });
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      {notice && <span role={notice.tone === "error" ? "alert" : "status"} className={notice.tone === "error" ? "text-xs text-red-700" : "text-xs text-slate-500"}>{notice.text}</span>}
      <Button onClick={() => void run()} disabled={exportMutation.isPending}>
        <Download className="h-4 w-4" aria-hidden />
        {exportMutation.isPending ? "Exporting…" : "Export CSV"}
      </Button>
    </span>
  );
}
