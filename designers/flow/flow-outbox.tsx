"use client";
import { useQuery } from "@tanstack/react-query";
import { Mail, RefreshCw } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "@/components/trpc";
import { Alert, Button, EmptyState, Spinner, cn } from "@/components/ui";
import { PageHeader } from "@/designers/shared/page-header";

/**
 * The outbox: email that flows sent while no SMTP server is configured (SMTP_URL). Admins only
 * (the studio's layout and the tRPC procedures both refuse others): the list, newest first, and
 * the message opened beside it.
 */

function MessageView({ id }: { id: string }) {
  const trpc = useTRPC();
  const message = useQuery(trpc.flows.outboxMessage.queryOptions({ id }));
  if (message.isPending) return <Spinner label="Loading the message" />;
  if (message.isError) return <Alert>{errorMessage(message.error)}</Alert>;
  const m = message.data;
  return (
    <article className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label="Message" data-testid="outbox-message">
      <h2 className="text-lg font-semibold text-slate-900">{m.subject}</h2>
      <dl className="grid grid-cols-[5rem_1fr] gap-x-2 gap-y-1 text-sm">
        <dt className="text-slate-500">From</dt><dd>{m.from}</dd>
        <dt className="text-slate-500">To</dt><dd data-testid="outbox-to">{m.to.join(", ")}</dd>
        {m.cc.length > 0 && <><dt className="text-slate-500">Cc</dt><dd>{m.cc.join(", ")}</dd></>}
        <dt className="text-slate-500">Filed</dt><dd>{new Date(m.createdAt).toLocaleString()}</dd>
        {m.flow && <><dt className="text-slate-500">Flow</dt><dd><Link className="text-sky-700 hover:underline" href={`/studio/flows/${m.flow}`}>{m.flow}</Link>{m.element ? <span className="font-mono text-xs text-slate-500"> / {m.element}</span> : null}</dd></>}
      </dl>
      <pre className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-sans text-sm text-slate-800" data-testid="outbox-body">{m.body}</pre>
    </article>
  );
}

export function FlowOutbox() {
  const trpc = useTRPC();
  const [open, setOpen] = useState<string | null>(null);
  const messages = useQuery(trpc.flows.outbox.queryOptions({ limit: 200 }));
  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/studio" className="hover:underline">Studio</Link> / <Link href="/studio/flows" className="hover:underline">Flows</Link> / Outbox</>}
        title="Outbox"
        meta={<span>Email sent by flows while no SMTP server is configured (set SMTP_URL to deliver it).</span>}
        actions={<Button onClick={() => void messages.refetch()}><RefreshCw className="h-4 w-4" aria-hidden /> Refresh</Button>}
      />
      <div className="grid gap-4 px-6 py-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div>
          {messages.isPending ? <Spinner label="Loading the outbox" /> : messages.isError ? <Alert>{errorMessage(messages.error)}</Alert> : messages.data.length === 0 ? (
            <EmptyState title="The outbox is empty">Email that flows send appears here.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Messages">
              {messages.data.map((message) => (
                <li key={message.id}>
                  <button type="button" onClick={() => setOpen(message.id)} aria-current={open === message.id || undefined}
                    className={cn("flex w-full items-start gap-3 px-4 py-2.5 text-left hover:bg-slate-50", open === message.id && "bg-sky-50")}>
                    <Mail className="mt-0.5 h-4 w-4 shrink-0 text-slate-400" aria-hidden />
                    <span className="min-w-0 flex-1">
                      <span className="block truncate font-medium text-slate-900">{message.subject}</span>
                      <span className="block truncate text-xs text-slate-500">To {message.to.join(", ")}{message.flow ? ` · ${message.flow}` : ""}</span>
                    </span>
                    <span className="shrink-0 text-xs text-slate-500">{new Date(message.createdAt).toLocaleString()}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>{open ? <MessageView id={open} /> : messages.data?.length ? <p className="text-sm text-slate-500">Open a message to read it.</p> : null}</div>
      </div>
    </>
  );
}
