import { closestCorners, pointerWithin, type Announcements, type CollisionDetection } from "@dnd-kit/core";
import { createContext, useContext } from "react";
import type { FormDef } from "@/spec/form";
import type { ObjectDef } from "@/spec/object";
import { locateElement } from "./form-designer-store";

/**
 * What can be dragged in the form designer and where it can land. Every draggable and drop
 * target carries one of these as its dnd-kit `data`; targets that do not accept the active
 * drag are disabled, so both the pointer and the keyboard sensor only ever find useful ones.
 */
export type DragSource =
  | { kind: "palette-field"; field: string }
  | { kind: "palette-section"; columns: number }
  | { kind: "palette-related" }
  | { kind: "palette-tab" }
  | { kind: "item"; sectionId: string }
  | { kind: "section"; tabId: string }
  | { kind: "tab" };

export type DropTarget =
  | { kind: "item"; sectionId: string }
  | { kind: "zone"; sectionId: string }
  | { kind: "section"; tabId: string }
  | { kind: "tabend"; tabId: string }
  | { kind: "tab" }
  | { kind: "tabstrip" };

export type DropKind = DropTarget["kind"];

const ACCEPTS: Record<DragSource["kind"], DropKind[]> = {
  "palette-field": ["item", "zone", "tab"],
  item: ["item", "zone", "tab"],
  "palette-section": ["section", "tabend", "tab"],
  "palette-related": ["section", "tabend", "tab"],
  section: ["section", "tabend", "tab"],
  "palette-tab": ["tab", "tabstrip"],
  tab: ["tab", "tabstrip"],
};

export function accepts(source: DragSource | null, target: DropKind): boolean {
  return source !== null && ACCEPTS[source.kind].includes(target);
}

/** The active drag's source (and whether the keyboard drives it), for drop targets to decide whether they are enabled. */
export const ActiveDragContext = createContext<{ source: DragSource; keyboard: boolean } | null>(null);

/**
 * Whether a drop target of this kind should be disabled during the current drag. A keyboard
 * drag of a field or section stays in the open tab (the arrow keys would otherwise jump to the
 * nearby tab headers); the inspector's "Tab" choice moves a field to another tab.
 */
export function useDropDisabled(kind: DropKind): boolean {
  const active = useContext(ActiveDragContext);
  if (active === null) return false;
  if (!accepts(active.source, kind)) return true;
  return active.keyboard && kind === "tab" && active.source.kind !== "tab" && active.source.kind !== "palette-tab";
}

const PRIORITY: Record<DropKind, number> = { item: 0, tab: 1, section: 2, zone: 3, tabend: 4, tabstrip: 5 };

/**
 * Under the pointer, the most specific target wins (a field card over the section around it);
 * a pointer over no target (still over the palette) is over nothing. Keyboard drags have no
 * pointer: the closest corners decide.
 */
export const formCollisionDetection: CollisionDetection = (args) => {
  if (args.pointerCoordinates) {
    const hits = pointerWithin(args);
    const kindOf = (id: string | number) => (args.droppableContainers.find((container) => container.id === id)?.data.current as DropTarget | undefined)?.kind;
    return [...hits].sort((a, b) => (PRIORITY[kindOf(a.id) ?? "tabstrip"] ?? 9) - (PRIORITY[kindOf(b.id) ?? "tabstrip"] ?? 9));
  }
  return closestCorners(args);
};

/** Names of elements for screen-reader announcements and overlays. */
export function describeDraggable(id: string, source: DragSource | undefined, form: FormDef, object: ObjectDef | undefined): string {
  if (!source) return id;
  const fieldLabel = (name: string) => object?.fields.find((field) => field.name === name)?.label ?? name;
  switch (source.kind) {
    case "palette-field":
      return `field ${fieldLabel(source.field)}`;
    case "palette-section":
      return `new ${source.columns}-column section`;
    case "palette-related":
      return "new related list";
    case "palette-tab":
      return "new tab";
    default: {
      const at = locateElement(form, id);
      if (!at) return id;
      if (at.kind === "item") return `field ${at.item.label ?? fieldLabel(at.item.field)}`;
      if (at.kind === "section") return `section ${at.section.label ?? at.sectionIndex + 1}`;
      return `tab ${at.tab.label}`;
    }
  }
}

export function describeDroppable(id: string, target: DropTarget | undefined, form: FormDef, object: ObjectDef | undefined): string {
  if (!target) return id;
  const sectionName = (sectionId: string) => {
    const at = locateElement(form, sectionId);
    return at?.kind === "section" ? `section ${at.section.label ?? at.sectionIndex + 1} of tab ${at.tab.label}` : "a section";
  };
  switch (target.kind) {
    case "item":
      return `the place of ${describeDraggable(id, { kind: "item", sectionId: target.sectionId }, form, object)} in ${sectionName(target.sectionId)}`;
    case "zone":
      return `the end of ${sectionName(target.sectionId)}`;
    case "section":
      return `the place of ${sectionName(id)}`;
    case "tabend": {
      const at = locateElement(form, target.tabId);
      return `the end of tab ${at?.kind === "tab" ? at.tab.label : ""}`;
    }
    case "tab": {
      const at = locateElement(form, id);
      return `tab ${at?.kind === "tab" ? at.tab.label : id}`;
    }
    case "tabstrip":
      return "the end of the tab strip";
  }
}

/** dnd-kit's live-region announcements, in the designer's words. */
export function formAnnouncements(describe: {
  draggable: (id: string, source: DragSource | undefined) => string;
  droppable: (id: string, target: DropTarget | undefined) => string;
}): Announcements {
  const source = (active: { id: string | number; data: { current?: unknown } }) => describe.draggable(String(active.id), active.data.current as DragSource | undefined);
  const target = (over: { id: string | number; data: { current?: unknown } }) => describe.droppable(String(over.id), over.data.current as DropTarget | undefined);
  return {
    onDragStart: ({ active }) => `Picked up ${source(active)}. Use the arrow keys to move it, Space to drop, Escape to cancel.`,
    onDragOver: ({ active, over }) => (over ? `${source(active)} is over ${target(over)}.` : `${source(active)} is no longer over a drop place.`),
    onDragEnd: ({ active, over }) => (over ? `Dropped ${source(active)} on ${target(over)}.` : `Dropped ${source(active)}; nothing changed.`),
    onDragCancel: ({ active }) => `Cancelled dragging ${source(active)}; nothing changed.`,
  };
}
