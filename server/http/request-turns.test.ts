import { describe, expect, it } from "vitest";
import { requestTurn, requestsWaiting } from "./request-turns";

describe("requestTurn", () => {
  it("admits waiting requests one per event-loop turn, in arrival order", async () => {
    const admitted: number[] = [];
    const turnsSeen: number[] = [];
    let turn = 0;
    const ticker = setInterval(() => undefined, 1); // keeps the loop turning
    const countTurns = () => {
      turn++;
      if (admitted.length < 5) setImmediate(countTurns);
    };
    setImmediate(countTurns);
    const all = [0, 1, 2, 3, 4].map((n) =>
      requestTurn().then(() => {
        admitted.push(n);
        turnsSeen.push(turn);
      }),
    );
    expect(requestsWaiting()).toBe(5);
    await Promise.all(all);
    clearInterval(ticker);
    expect(admitted).toEqual([0, 1, 2, 3, 4]);
    // Each admission in a turn of its own.
    expect(new Set(turnsSeen).size).toBe(5);
    expect(requestsWaiting()).toBe(0);
  });

  it("admits at the next turn when nobody waits", async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    await requestTurn();
    expect(turned).toBe(true);
    expect(requestsWaiting()).toBe(0);
  });
});
