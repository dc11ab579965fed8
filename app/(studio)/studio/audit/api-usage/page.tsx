import type { Metadata } from "next";
import { ApiUsageLog } from "@/designers/audit/api-usage-log";

export const metadata: Metadata = { title: "API usage" };

export default function ApiUsagePage() {
  return <ApiUsageLog />;
}
