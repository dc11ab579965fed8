import type { AppDef, NavigationItem } from "@/spec/app";
import { DocumentStore, type CommandOptions, type DocumentStoreOptions } from "@/designers/shared/document-store";

export type AppSettingsPatch = Partial<Pick<AppDef, "label" | "description" | "icon">>;

/** The app editor's document: an AppDef with commands over its settings and navigation. */
export class AppDesignerStore extends DocumentStore<AppDef> {
  constructor(initial: AppDef, options?: DocumentStoreOptions) {
    super(initial, options);
  }

  updateApp(patch: AppSettingsPatch, options?: CommandOptions): boolean {
    const keys = Object.keys(patch) as (keyof AppSettingsPatch)[];
    return this.apply(
      keys.length === 1 ? `Change ${keys[0]}` : "Change app settings",
      (app) => {
        if (keys.every((key) => app[key] === patch[key])) return app;
        const next: AppDef = { ...app, ...patch };
        for (const key of keys) if (patch[key] === undefined) delete (next as Record<string, unknown>)[key];
        return next;
      },
      options,
    );
  }

  addNavigationItem(item: NavigationItem): boolean {
    return this.apply("Add navigation item", (app) => ({ ...app, navigation: [...app.navigation, item] }));
  }

  updateNavigationItem(position: number, item: NavigationItem, options?: CommandOptions): boolean {
    if (!this.document.navigation[position]) return false;
    return this.apply(
      "Edit navigation item",
      (app) => ({ ...app, navigation: app.navigation.map((other, i) => (i === position ? item : other)) }),
      options,
    );
  }

  removeNavigationItem(position: number): boolean {
    if (!this.document.navigation[position]) return false;
    return this.apply("Remove navigation item", (app) => ({
      ...app,
      navigation: app.navigation.filter((_, i) => i !== position),
    }));
  }

  moveNavigationItem(from: number, to: number): boolean {
    const length = this.document.navigation.length;
    if (from === to || from < 0 || to < 0 || from >= length || to >= length) return false;
    return this.apply("Move navigation item", (app) => {
      const navigation = app.navigation.slice();
      const [moved] = navigation.splice(from, 1);
      navigation.splice(to, 0, moved);
      return { ...app, navigation };
    });
  }
}
