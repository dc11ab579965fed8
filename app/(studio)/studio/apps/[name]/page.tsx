import type { Metadata } from "next";
import { AppDesigner } from "@/designers/app/app-designer";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `App ${name}` };
}

export default async function AppDesignerPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <AppDesigner name={name} />;
}
