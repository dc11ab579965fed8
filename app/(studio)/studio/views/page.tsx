import type { Metadata } from "next";
import { ViewList } from "@/designers/view/view-list";

export const metadata: Metadata = { title: "Views" };

export default function ViewsPage() {
  return <ViewList />;
}
