import type { Metadata } from "next";
import { DatasourcePage } from "@/designers/datasource/datasource-page";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Data source ${name}` };
}

export default async function DatasourceDetailPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <DatasourcePage name={name} />;
}
