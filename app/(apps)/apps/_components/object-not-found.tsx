import type { LoadedApp } from "../_lib/server";
import { NotFoundMessage } from "./not-found-message";

/** The object is not part of this app's navigation (or not published). */
export function ObjectNotFound({ loaded, objectName }: { loaded: LoadedApp; objectName: string }) {
  return (
    <NotFoundMessage
      title="Page not found"
      message={`The app “${loaded.app.label}” has no page for “${objectName}”.`}
      backHref={`/apps/${loaded.app.name}`}
      backLabel={`Back to ${loaded.app.label}`}
    />
  );
}
