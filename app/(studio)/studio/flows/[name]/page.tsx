import type { Metadata } from "next";
import { FlowDesigner } from "@/designers/flow/flow-designer";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Flow ${name}` };
}

export default async function FlowDesignerPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <FlowDesigner name={name} />;
}
