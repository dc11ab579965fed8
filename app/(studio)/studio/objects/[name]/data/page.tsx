import type { Metadata } from "next";
import { Suspense } from "react";
import { Spinner } from "@/components/ui";
import { ObjectDataViewer } from "@/designers/object/object-data-viewer";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `${name} data` };
}

export default async function ObjectDataPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <Suspense fallback={<div className="p-6"><Spinner /></div>}>
      <ObjectDataViewer name={name} />
    </Suspense>
  );
}
