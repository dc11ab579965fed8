import type { Modifier } from "@dnd-kit/core";

/** Keeps a dragged row on its column (the @dnd-kit/modifiers package is not installed). */
export const restrictToVerticalAxisModifier: Modifier = ({ transform }) => ({ ...transform, x: 0 });
