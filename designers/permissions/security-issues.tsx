import { CircleAlert } from "lucide-react";
import type { ErrorIssue } from "@/components/trpc";

type Path = readonly (string | number)[];

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.every((part, index) => String(path[index]) === String(part));
}

/** The issues under `prefix`, with their paths made relative to it. */
export function issuesUnder(issues: readonly ErrorIssue[], prefix: Path): ErrorIssue[] {
  return issues.filter((issue) => startsWith(issue.path, prefix)).map((issue) => ({ ...issue, path: issue.path.slice(prefix.length) }));
}

/** The first message whose path is exactly `path`. */
export function issueAt(issues: readonly ErrorIssue[], path: Path): string | undefined {
  return issues.find((issue) => issue.path.length === path.length && startsWith(issue.path, path))?.message;
}

/** Which designer tab shows the part of the document an issue names. */
export function tabOfIssue(issue: ErrorIssue): string {
  switch (issue.path[0]) {
    case "profiles":
    case "permissionSets":
      return "profiles";
    case "roles":
      return "roles";
    case "groups":
      return "groups";
    case "orgWideDefaults":
    case "sharingRules":
      return "sharing";
    case "assignments":
    case "defaultProfile":
      return "users";
    case "trackedFields":
      return "history";
    default:
      return "profiles";
  }
}

/** Problems the server (or a refused command) reported for one part of the page. */
export function IssueMessages({ issues, className, labels = {} }: {
  issues: readonly (ErrorIssue | string)[];
  className?: string;
  /** How the first part of a path reads next to the control, e.g. { parent: "Reports to" }. */
  labels?: Record<string, string>;
}) {
  if (issues.length === 0) return null;
  return (
    <ul className={className ?? "mt-1 space-y-0.5"}>
      {issues.map((issue, index) => (
        <li key={index} role="alert" className="flex items-start gap-1 text-xs text-red-700">
          <CircleAlert className="mt-0.5 h-3 w-3 shrink-0" aria-hidden />
          <span>
            {typeof issue === "string" ? issue : `${issue.path.length > 0 ? `${[labels[String(issue.path[0])] ?? issue.path[0], ...issue.path.slice(1)].join(".")}: ` : ""}${issue.message}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
