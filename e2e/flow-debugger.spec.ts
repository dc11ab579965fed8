import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { ADMIN, USER, signIn, trpcCall } from "./helpers";
import { createPublished, createRecords, findRecords, trpcOk, uniqueName } from "./support/own-data";

/**
 * The flow debugger end to end, as a developer uses it: a published flow sums order lines in a
 * loop (an assignment inside it) and, when the total is big (a decision), creates a note. The
 * developer sets a breakpoint by clicking a node's dot, starts Debug with typed inputs, pauses
 * there, steps over (the highlighted element moves, the total changes in the inspector), edits a
 * variable (a refused value shows the server's message on the field), continues to the end (the
 * note exists while paused there) and lets the run finish: rollback removes the note. The
 * timeline time-travels; "Rerun from here" starts a new run with an edited variable; a plain run
 * is replayed from the Runs tab. A regular user's debugger calls are refused.
 */

const SHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

function node(page: Page, name: string): Locator {
  return page.getByRole("group", { name });
}

/** Variables panel row of a variable; its shown value. */
function variable(panel: Locator, name: string): Locator {
  return panel.locator(`[data-testid="debug-variable"][data-name="${name}"]`);
}

/** The admin in the studio, at a 1x desktop size (the screenshots are looked at). */
async function studioAdmin(browser: Browser): Promise<Page> {
  const admin = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signIn(admin, ADMIN, "/studio");
  return admin;
}

/** A published object with a text name field and one number field. */
async function objectWithNumber(admin: Page, name: string, label: string, number: string) {
  await createPublished(admin, "object", {
    name, label, pluralLabel: `${label}s`, nameField: "name",
    fields: [{ id: `${name}_name`, name: "name", label: "Name", type: "text", required: true }, { id: `${name}_${number}`, name: number, label: number, type: "number" }],
  });
}

/** Creates a flow from its body and publishes it. */
async function publishFlow(admin: Page, body: { name: string } & Record<string, unknown>) {
  await trpcOk(admin, "metadata.create", { kind: "flow", body }, "mutation");
  await trpcOk(admin, "metadata.publish", { kind: "flow", name: body.name }, "mutation");
}

test("debug a flow: breakpoint, step, edit a variable, rollback, time travel, rerun, replay", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await studioAdmin(browser);
  const [line, note, flow] = [uniqueName(testInfo, "line"), uniqueName(testInfo, "note"), uniqueName(testInfo, "sum_lines")];
  await objectWithNumber(admin, line, "Line", "qty");
  await objectWithNumber(admin, note, "Note", "amount");
  await createRecords(admin, line, [{ name: "a", qty: 1 }, { name: "b", qty: 2 }, { name: "c", qty: 3 }]);
  const x = 300;
  await publishFlow(admin, {
    name: flow, label: "Sum lines", start: { type: "autolaunched", position: { x, y: 0 } },
    variables: [
      { name: "factor", type: "number", input: true, default: 1 },
      { name: "label", type: "text", input: true },
      { name: "total", type: "number", default: 0, output: true },
      { name: "lines", type: "records", object: line },
      { name: "current", type: "record", object: line },
      { name: "made", type: "record", object: note },
    ],
    elements: [
      { id: "get_lines", label: "Get lines", type: "get_records", object: line, sort: [{ field: "name", direction: "asc" }], into: "lines", position: { x, y: 130 } },
      { id: "each_line", label: "Each line", type: "loop", collection: "lines", item: "current", position: { x, y: 260 } },
      { id: "add_line", label: "Add to total", type: "assignment", assignments: [{ target: "total", operator: "add", value: "current.qty * factor" }], position: { x: x - 260, y: 390 } },
      { id: "is_big", label: "Is it big?", type: "decision", outcomes: [{ id: "big", label: "Big", condition: "total > 10" }], position: { x: x + 200, y: 390 } },
      { id: "make_note", label: "Make note", type: "create_record", object: note, values: [{ field: "name", value: "label" }, { field: "amount", value: "total" }], into: "made", position: { x: x + 200, y: 520 } },
    ],
    edges: [
      { source: "start", target: "get_lines" }, { source: "get_lines", target: "each_line" },
      { source: "each_line", handle: "each", target: "add_line" }, { source: "add_line", target: "each_line" },
      { source: "each_line", handle: "done", target: "is_big" }, { source: "is_big", handle: "big", target: "make_note" },
    ],
  });

  await admin.goto(`/studio/flows/${flow}`);
  const add = node(admin, "Assignment: Add to total");
  const each = node(admin, "Loop: Each line");
  const get = node(admin, "Get records: Get lines");
  const decide = node(admin, "Decision: Is it big?");
  const make = node(admin, "Create record: Make note");
  await expect(add).toBeVisible({ timeout: 30_000 }); // a fresh server's first studio page

  // A breakpoint: hover the node, click its dot at the left edge.
  await add.hover();
  await add.getByRole("button", { name: "Breakpoint on Add to total" }).click();
  await expect(add).toHaveAttribute("data-breakpoint", "plain");
  // F9 on the selected node sets one too (and clears it again).
  await decide.click();
  await admin.keyboard.press("F9");
  await expect(decide).toHaveAttribute("data-breakpoint", "plain");
  await admin.keyboard.press("F9");
  await expect(decide).not.toHaveAttribute("data-breakpoint", /.*/);

  // Debug with typed inputs: the published version (no draft differs), rollback on by default.
  await admin.getByRole("button", { name: "Debug", exact: true }).click();
  const dialog = admin.getByRole("dialog", { name: "Debug Sum lines" });
  await expect(dialog).toContainText("Debugs the published version");
  await expect(dialog.getByRole("switch", { name: /Roll back changes/ })).toHaveAttribute("aria-checked", "true");
  await dialog.getByLabel("factor").fill("2");
  await dialog.getByLabel("label").fill("Debugged");
  await dialog.getByRole("button", { name: "Start debugging" }).click();
  await expect(dialog).toHaveCount(0);
  const status = admin.getByTestId("debug-status");
  const toolbar = admin.getByRole("toolbar", { name: "Debugger" });
  const panel = admin.getByTestId("debug-panel");
  await expect(status).toHaveText("Paused at Get lines");
  await expect(get).toHaveAttribute("data-current", "true");
  await expect(variable(panel, "factor")).toContainText("2");

  // A condition on the breakpoint, type-checked as typed: stop at the second line only.
  const condition = panel.getByLabel("Condition on Add to total");
  await condition.fill("current.qtty = 2");
  await expect(panel.getByTestId("debug-breakpoint").getByRole("alert")).toContainText("qtty");
  await condition.fill("current.qty = 2");
  await expect(panel.getByTestId("debug-breakpoint").getByRole("alert")).toHaveCount(0);
  await expect(add).toHaveAttribute("data-breakpoint", "conditional");

  // Continue (F8) to the breakpoint: the first line (qty 1) passed it, the second stops there.
  await admin.keyboard.press("F8");
  await expect(status).toHaveText("Paused at Add to total");
  await expect(add).toHaveAttribute("data-current", "true");
  await expect(get).toHaveAttribute("data-visited", "true");
  await expect(decide).toHaveAttribute("data-dimmed", "true");
  await expect(admin.locator(".react-flow__edge.debug-taken")).toHaveCount(4);
  await expect(variable(panel, "current")).toContainText('name:"b"');
  await expect(variable(panel, "total").getByTestId("debug-variable-value")).toHaveText("2");

  // Step over: the run moves to the loop; total changed by 2 × 2.
  await toolbar.getByRole("button", { name: "Step over" }).click();
  await expect(status).toHaveText("Paused at Each line");
  await expect(each).toHaveAttribute("data-current", "true");
  await expect(add).not.toHaveAttribute("data-current", /.*/);
  await expect(variable(panel, "total")).toHaveAttribute("data-changed", "true");
  await expect(variable(panel, "total").getByTestId("debug-variable-value")).toHaveText("6");
  await admin.screenshot({ path: `${SHOTS}/flow-debugger-paused.png` });

  // Edit while paused: a value the browser refuses, one the server refuses (shown on the field), then one it takes.
  const total = variable(panel, "total");
  await total.getByRole("button", { name: "Edit total" }).click();
  await total.getByLabel("New value of total").fill("lots");
  await total.getByRole("button", { name: "Set" }).click();
  await expect(total.getByRole("alert")).toHaveText("must be a number");
  await total.getByLabel("New value of total").fill("100");
  await total.getByRole("button", { name: "Set" }).click();
  await expect(total.getByTestId("debug-variable-value")).toHaveText("100");
  const made = variable(panel, "made");
  await made.getByRole("button", { name: "Edit made" }).click();
  await made.getByLabel("New value of made").fill("no-such-note");
  await made.getByRole("button", { name: "Set" }).click();
  await expect(made.getByRole("alert")).toContainText(`no ${note} record 'no-such-note'`);
  await made.getByRole("button", { name: "Cancel" }).click();

  // Move the breakpoint to "Make note" (the paused run learns it), continue there, and step past it:
  // a debug run stops at its end before it finishes and rolls back.
  await add.hover();
  await add.getByRole("button", { name: "Breakpoint on Add to total" }).click();
  await expect(add).not.toHaveAttribute("data-breakpoint", /.*/);
  await make.click();
  await admin.keyboard.press("F9");
  await expect(make).toHaveAttribute("data-breakpoint", "plain");
  await expect(panel.getByTestId("debug-breakpoint")).toHaveText(/Make note/);
  await toolbar.getByRole("button", { name: "Continue" }).click();
  await expect(status).toHaveText("Paused at Make note");
  await expect(variable(panel, "total").getByTestId("debug-variable-value")).toHaveText("106");
  await admin.keyboard.press("F10");
  await expect(status).toContainText("Paused at the end of the flow");
  // 100 + 3×2: big, so the note was made, and it exists while the run is paused.
  await expect(make).toHaveAttribute("data-visited", "true");
  await expect(variable(panel, "made")).toContainText("Debugged");
  expect((await findRecords(admin, note)).map((record) => [record.name, record.amount])).toEqual([["Debugged", 106]]);
  await admin.keyboard.press("F8");
  await expect(status).toHaveText("Finished · changes rolled back");
  await expect(panel).toContainText("total:");
  // Rollback: the note is gone.
  expect(await findRecords(admin, note)).toEqual([]);

  // Time travel: the first "Add to total" step shows total as it was then (2), read-only.
  const steps = panel.getByTestId("debug-step");
  const firstAdd = steps.filter({ hasText: "Add to total" }).first();
  await firstAdd.getByRole("button", { name: /Add to total/ }).click();
  await expect(panel.getByTestId("time-travel")).toContainText("read-only");
  await expect(total.getByTestId("debug-variable-value")).toHaveText("2");
  await expect(total.getByRole("button", { name: "Edit total" })).toHaveCount(0);
  await expect(add).toHaveAttribute("data-current", "true");
  await expect(decide).toHaveAttribute("data-dimmed", "true");
  await expect(panel.getByTestId("debug-step-detail")).toContainText('"total":2');
  await admin.screenshot({ path: `${SHOTS}/flow-debugger-time-travel.png` });
  await panel.getByRole("button", { name: "Back to now" }).click();
  await expect(total.getByTestId("debug-variable-value")).toHaveText("106");

  // Rerun from the second "Add to total" (total was 2 just before it): with total 1000.
  const secondAdd = steps.filter({ hasText: "Add to total" }).nth(1);
  const seq = await secondAdd.getAttribute("data-seq");
  await secondAdd.getByRole("button", { name: `Rerun from step ${seq}` }).click();
  const rerun = admin.getByRole("dialog", { name: `Rerun from step #${seq}: Add to total` });
  await expect(rerun.getByLabel(/^total/)).toHaveValue("2");
  await rerun.getByLabel(/^total/).fill("1000");
  await rerun.getByRole("button", { name: "Rerun" }).click();
  await expect(rerun).toHaveCount(0);
  await expect(status).toHaveText("Paused at Add to total");
  await expect(total.getByTestId("debug-variable-value")).toHaveText("1000");
  // Step over once (the loop), then stop: what it did is rolled back.
  await toolbar.getByRole("button", { name: "Step over" }).click();
  await expect(status).toHaveText("Paused at Each line");
  await expect(total.getByTestId("debug-variable-value")).toHaveText(String(1000 + 4));
  await toolbar.getByRole("button", { name: "Stop" }).click();
  await expect(status).toHaveText(/^Stopped at Each line · changes rolled back$|^Stopped at Each line$/);
  expect(await findRecords(admin, note)).toEqual([]);
  await admin.getByRole("button", { name: "Close debugger" }).click();
  await expect(toolbar).toHaveCount(0);

  // Replay: an ordinary run (factor 1: total 6, not big) opened from the Runs tab.
  await trpcOk(admin, "flows.run", { flow, inputs: { factor: 1, label: "Plain" } }, "mutation");
  await admin.getByRole("tab", { name: "Runs" }).click();
  const plainRow = admin.getByTestId("run-row").filter({ hasText: "autolaunched" });
  await expect(plainRow).toHaveCount(1);
  await plainRow.getByRole("button").click();
  await admin.getByRole("button", { name: "Open in debugger" }).click();
  await expect(toolbar).toContainText("Replay");
  await expect(status).toHaveText("Finished");
  await expect(toolbar.getByRole("button", { name: "Step over" })).toHaveCount(0);
  await expect(decide).toHaveAttribute("data-visited", "true");
  await expect(make).toHaveAttribute("data-dimmed", "true");
  await expect(admin.locator(".react-flow__edge.debug-taken")).toHaveCount(5);
  await steps.filter({ hasText: "Add to total" }).nth(1).getByRole("button", { name: /Add to total/ }).click();
  await expect(total.getByTestId("debug-variable-value")).toHaveText("3");
  await admin.screenshot({ path: `${SHOTS}/flow-debugger-replay.png` });
  // Rerun from a step of the replayed run: a live debug run.
  const replayAdd = steps.filter({ hasText: "Add to total" }).first();
  await replayAdd.getByRole("button", { name: /^Rerun from step/ }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Rerun" }).click();
  await expect(toolbar.getByRole("button", { name: "Step over" })).toBeEnabled();
  await expect(status).toHaveText("Paused at Add to total");
  const live = await trpcOk<{ id: string; status: string }[]>(admin, "flows.runs", { flow, status: "paused" }, "query");
  expect(live).toHaveLength(1);

  // A regular user reaches none of it: every debugger call is refused.
  const user = await (await browser.newContext()).newPage();
  await signIn(user, USER, "/");
  for (const [path, input, kind] of [
    ["flows.debugStart", { flow, inputs: { factor: 1 } }, "mutation"],
    ["flows.debugView", { id: live[0]!.id }, "query"],
    ["flows.debugCommand", { id: live[0]!.id, command: "continue" }, "mutation"],
    ["flows.debugSetVariable", { id: live[0]!.id, frame: 0, name: "total", value: 1 }, "mutation"],
    ["flows.debugRerunFrom", { id: live[0]!.id, seq: 0 }, "mutation"],
    ["flows.runDetail", { id: live[0]!.id }, "query"],
  ] as const) {
    const answer = await trpcCall(user, path, input, kind);
    expect(answer.status, path).toBe(403);
  }
  await toolbar.getByRole("button", { name: "Stop" }).click();
  await expect(status).toHaveText(/^Stopped/);
});

test("debug a record-triggered flow on a chosen record: step into a subflow, the call stack, rollback off", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const admin = await studioAdmin(browser);
  const [acct, bump, flow] = [uniqueName(testInfo, "acct"), uniqueName(testInfo, "bump"), uniqueName(testInfo, "rescore")];
  await objectWithNumber(admin, acct, "Client", "score");
  // The record exists before the flow is published (its save triggers nothing).
  const [id] = await createRecords(admin, acct, [{ name: "Initech", score: 5 }]);
  await publishFlow(admin, {
    name: bump, label: "Bump", start: { type: "autolaunched" },
    variables: [{ name: "n", type: "number", input: true }, { name: "result", type: "number", output: true }],
    elements: [{ id: "add_ten", label: "Add ten", type: "assignment", assignments: [{ target: "result", value: "n + 10" }], position: { x: 0, y: 130 } }],
    edges: [{ source: "start", target: "add_ten" }],
  });
  await publishFlow(admin, {
    name: flow, label: "Rescore", start: { type: "record", object: acct, when: "after_save", on: "update", position: { x: 200, y: 0 } },
    variables: [{ name: "bumped", type: "number" }],
    elements: [
      { id: "call_bump", label: "Call bump", type: "subflow", flow: bump, inputs: [{ name: "n", value: "record.score" }], outputs: [{ name: "result", into: "bumped" }], position: { x: 200, y: 130 } },
      { id: "save_score", label: "Save score", type: "update_records", record: "record", values: [{ field: "score", value: "bumped" }], position: { x: 200, y: 260 } },
    ],
    edges: [{ source: "start", target: "call_bump" }, { source: "call_bump", target: "save_score" }],
  });

  await admin.goto(`/studio/flows/${flow}`);
  await expect(node(admin, "Subflow: Call bump")).toBeVisible({ timeout: 30_000 }); // a fresh server's first studio page
  await admin.getByRole("button", { name: "Debug", exact: true }).click();
  const dialog = admin.getByRole("dialog", { name: "Debug Rescore" });
  // A record must be chosen: refused before the server is asked.
  await dialog.getByRole("button", { name: "Start debugging" }).click();
  await expect(dialog.getByRole("alert")).toContainText("choose the record");
  await dialog.getByRole("combobox").fill("Initech");
  await dialog.getByRole("option", { name: /Initech/ }).click();
  await dialog.getByRole("switch", { name: /Roll back changes/ }).click();
  await expect(dialog.getByRole("switch", { name: /Roll back changes/ })).toHaveAttribute("aria-checked", "false");
  await dialog.getByRole("button", { name: "Start debugging" }).click();
  const status = admin.getByTestId("debug-status");
  const panel = admin.getByTestId("debug-panel");
  const stack = panel.getByRole("list", { name: "Call stack" });
  await expect(status).toHaveText("Paused at Call bump");
  await expect(variable(panel, "record")).toContainText("Initech");

  // Step into the subflow: two frames, the subflow's variables shown.
  await admin.keyboard.press("F11");
  await expect(status).toHaveText("Paused at Add ten");
  await expect(stack.getByRole("button")).toHaveCount(2);
  await expect(stack.getByRole("button").first()).toContainText(`${bump} at Add ten`);
  await expect(variable(panel, "n").getByTestId("debug-variable-value")).toHaveText("5");
  // The caller's frame: its variables (the record), the subflow element it is at.
  await stack.getByRole("button", { name: new RegExp(`^${flow} at Call bump`) }).click();
  await expect(variable(panel, "record")).toBeVisible();
  await admin.screenshot({ path: `${SHOTS}/flow-debugger-call-stack.png` });
  // Step out: back in the flow, the subflow's result copied into bumped.
  await admin.keyboard.press("Shift+F11");
  await expect(status).toHaveText("Paused at Save score");
  await expect(stack.getByRole("button")).toHaveCount(1);
  await expect(variable(panel, "bumped").getByTestId("debug-variable-value")).toHaveText("15");
  await admin.keyboard.press("F8");
  await expect(status).toHaveText("Finished");
  // Rollback was off: the record keeps the flow's change (15), a real save, which the published
  // flow (after save, on update) then runs on once as usual: 15 + 10.
  await expect.poll(async () => (await findRecords(admin, acct, { field: "id", operator: "=", value: id }))[0]!.score, { timeout: 20_000 }).toBe(25);
});
