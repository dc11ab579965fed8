import type { Metadata } from "next";
import { RecordHistory } from "@/designers/audit/record-history";

export const metadata: Metadata = { title: "Record history" };

export default function RecordHistoryPage() {
  return <RecordHistory />;
}
