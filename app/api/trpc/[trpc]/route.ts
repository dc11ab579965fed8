import { serveTrpc } from "@/server/api/trpc-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function handler(request: Request) {
  return serveTrpc(request);
}

export { handler as GET, handler as POST };
