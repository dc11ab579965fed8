import { describe, expect, it } from "vitest";
import { appSchema } from "@/spec/app";
import { AppDesignerStore } from "./app-designer-store";

function makeStore() {
  return new AppDesignerStore(appSchema.parse({ name: "sales", label: "Sales", navigation: [{ type: "object", object: "account" }] }), { baseRevision: 1 });
}

describe("AppDesignerStore", () => {
  it("adds, moves, edits and removes navigation items with undo", () => {
    const store = makeStore();
    store.addNavigationItem({ type: "url", label: "Docs", url: "/docs" });
    store.moveNavigationItem(1, 0);
    expect(store.document.navigation.map((item) => item.type)).toEqual(["url", "object"]);
    store.updateNavigationItem(1, { type: "object", object: "account", label: "Customers" });
    store.removeNavigationItem(0);
    expect(store.document.navigation).toEqual([{ type: "object", object: "account", label: "Customers" }]);
    store.undo();
    store.undo();
    store.undo();
    expect(store.document.navigation.map((item) => item.type)).toEqual(["object", "url"]);
    expect(store.getSnapshot().dirty).toBe(true);
    store.undo();
    expect(store.getSnapshot().dirty).toBe(false);
  });

  it("updates settings and ignores no-op moves", () => {
    const store = makeStore();
    expect(store.moveNavigationItem(0, 0)).toBe(false);
    store.updateApp({ label: "Sales CRM", description: "Pipeline" });
    store.updateApp({ description: undefined });
    expect(store.document.label).toBe("Sales CRM");
    expect("description" in store.document).toBe(false);
  });
});
