import type { LoadedApp } from "../_lib/server";
import { NotFoundMessage } from "./not-found-message";

/** The object is not part of this app's navigation (or not published), or (`noAccess`) the user may not read it. */
export function ObjectNotFound({ loaded, objectName, noAccess = false }: { loaded: LoadedApp; objectName: string; noAccess?: boolean }) {
  const label = loaded.objects.find((object) => object.name === objectName)?.pluralLabel ?? objectName;
  return (
    <NotFoundMessage
      title={noAccess ? "No access" : "Page not found"}
      message={noAccess ? `Your permissions do not let you see ${label}.` : `The app “${loaded.app.label}” has no page for “${objectName}”.`}
      backHref={`/apps/${loaded.app.name}`}
      backLabel={`Back to ${loaded.app.label}`}
    />
  );
}
