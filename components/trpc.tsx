"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { MAX_BATCH_CALLS } from "@/spec/api-limits";

/** The typed tRPC hooks: `const trpc = useTRPC(); useQuery(trpc.data.find.queryOptions({...}))`. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // 4xx answers will not change by retrying.
        retry: (count, error) => !(error instanceof TRPCClientError && (error.data?.httpStatus ?? 500) < 500) && count < 2,
      },
    },
  });
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      // Within the server's limits (spec/api-limits.ts): larger batches are split, long GETs too
      // (Node refuses request heads over 16 KB).
      links: [httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: MAX_BATCH_CALLS, maxURLLength: 8000 })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** Issues (field path + message) the server attached to an error, for showing next to inputs. */
export type ErrorIssue = { path: (string | number)[]; message: string };
export function errorIssues(error: unknown): ErrorIssue[] {
  if (error instanceof TRPCClientError) return (error.data as { issues?: ErrorIssue[] } | undefined)?.issues ?? [];
  return [];
}
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
