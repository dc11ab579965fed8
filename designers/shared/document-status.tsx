import { Badge } from "@/components/ui";

/** "Published vN" / "Draft", plus an "Unpublished changes" badge when a draft differs from it. */
export function DocumentStatus({
  publishedVersion,
  hasDraft,
  dirty = false,
}: {
  publishedVersion: number | null;
  hasDraft: boolean;
  dirty?: boolean;
}) {
  if (publishedVersion === null) {
    return <Badge color="#b45309">Draft</Badge>;
  }
  return (
    <span className="inline-flex items-center gap-1.5">
      <Badge color="#047857">Published v{publishedVersion}</Badge>
      {(hasDraft || dirty) && <Badge color="#0369a1">Unpublished changes</Badge>}
    </span>
  );
}
