"use client";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/components/trpc";

// No next-auth SessionProvider: no client component reads the session (`useSession`); pages get
// the user on the server, and sign-in/sign-out call next-auth's functions directly.
export function Providers({ children }: { children: ReactNode }) {
  return <TRPCReactProvider>{children}</TRPCReactProvider>;
}
