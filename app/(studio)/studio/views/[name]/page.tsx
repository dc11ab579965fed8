import type { Metadata } from "next";
import { ViewDesigner } from "@/designers/view/view-designer";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `View ${name}` };
}

export default async function ViewDesignerPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <ViewDesigner name={name} />;
}
