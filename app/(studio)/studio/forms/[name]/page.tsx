import type { Metadata } from "next";
import { FormDesigner } from "@/designers/form/form-designer";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Form ${name}` };
}

export default async function FormDesignerPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <FormDesigner name={name} />;
}
