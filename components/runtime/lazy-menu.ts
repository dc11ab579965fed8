"use client";
import { useState, type KeyboardEvent } from "react";

/**
 * A menu whose Radix implementation (with its positioning code) is not in the page's first load:
 * until first used its trigger is a plain button with `triggerProps` (hovering or focusing it
 * starts loading the menu); a click, Enter, Space or ArrowDown, the keys that open a Radix
 * dropdown, set `used`, and the caller then renders the real menu, open (`defaultOpen`).
 */
export function useLazyMenu(load: () => Promise<unknown>) {
  const [used, setUsed] = useState(false);
  const triggerProps = {
    "aria-haspopup": "menu" as const,
    "aria-expanded": false,
    onClick: () => setUsed(true),
    onKeyDown: (event: KeyboardEvent) => {
      // Enter and Space click.
      if (event.key !== "ArrowDown") return;
      event.preventDefault();
      setUsed(true);
    },
    onPointerEnter: () => void load(),
    onFocus: () => void load(),
  };
  return { used, triggerProps };
}
