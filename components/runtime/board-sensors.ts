"use client";
import { KeyboardSensor, MouseSensor, TouchSensor, useSensor, useSensors, type KeyboardCoordinateGetter } from "@dnd-kit/core";
import { useEffect } from "react";

/** Space picks a card up and drops it, Enter drops too (it is left to the title link until a drag starts: it opens the record); Escape puts it back. */
const KEYBOARD_CODES = { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] };

/**
 * How cards and entries are dragged on the kanban board and the calendar: the mouse after 5 px
 * (a click still opens the record), a finger after a 250 ms press (a swipe still scrolls the
 * board, as on a phone's lists), and the keyboard with `coordinateGetter` moving between places.
 * Mouse and touch sensors rather than one pointer sensor: on a touch screen the browser turns a
 * moving finger into a scroll (pointercancel) before a pointer drag could start.
 */
export function useBoardSensors(coordinateGetter: KeyboardCoordinateGetter) {
  return useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 5 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter, keyboardCodes: KEYBOARD_CODES }),
  );
}

/**
 * While a board is shown, a sideways swipe never leaves the page. A swipe that the board does not
 * take (it fits the screen, or a press let go before a drag started) reaches the page, which
 * browsers take for "back" (overscroll navigation): the user would lose their place mid-move.
 * Only the root's overscroll-behavior stops that (a container's applies only while it can
 * scroll); the browser's back button and keys still work.
 */
export function useNoSwipeNavigation() {
  useEffect(() => {
    const root = document.documentElement;
    const previous = root.style.overscrollBehaviorX;
    root.style.overscrollBehaviorX = "none";
    return () => {
      root.style.overscrollBehaviorX = previous;
    };
  }, []);
}
