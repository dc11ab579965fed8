import type { Metadata } from "next";
import { DatasourceList } from "@/designers/datasource/datasource-list";

export const metadata: Metadata = { title: "Data sources" };

export default function DatasourcesPage() {
  return <DatasourceList />;
}
