import type { Metadata } from "next";
import { ObjectDesigner } from "@/designers/object/object-designer";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Object ${name}` };
}

export default async function ObjectDesignerPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <ObjectDesigner name={name} />;
}
