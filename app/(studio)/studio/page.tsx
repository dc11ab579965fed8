import type { Metadata } from "next";
import { StudioOverview } from "@/designers/shared/studio-overview";

export const metadata: Metadata = { title: "Overview" };

export default function StudioPage() {
  return <StudioOverview />;
}
