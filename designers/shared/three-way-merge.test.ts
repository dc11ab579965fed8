import { describe, expect, it } from "vitest";
import { threeWayMerge } from "./three-way-merge";

const base = {
  name: "opportunity",
  label: "Opportunity",
  fields: [
    { id: "f1", name: "name", label: "Name" },
    { id: "f2", name: "stage", label: "Stage" },
    { id: "f3", name: "amount", label: "Amount" },
  ],
};

describe("threeWayMerge", () => {
  it("merges edits to different fields and properties", () => {
    const mine = structuredClone(base);
    mine.fields[1]!.label = "Phase";
    const theirs = structuredClone(base);
    theirs.label = "Deal";
    theirs.fields[2]!.label = "Value";
    const { merged, conflicts } = threeWayMerge(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged.label).toBe("Deal");
    expect(merged.fields.map((field) => field.label)).toEqual(["Name", "Phase", "Value"]);
  });

  it("keeps additions of both sides in place and applies a removal the other side did not touch", () => {
    const mine = { ...base, fields: [...base.fields, { id: "f4", name: "region", label: "Region" }] };
    const theirs = { ...base, fields: [base.fields[0]!, { id: "f5", name: "probability", label: "Probability" }, base.fields[1]!] };
    const { merged, conflicts } = threeWayMerge(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged.fields.map((field) => field.id)).toEqual(["f1", "f5", "f2", "f4"]);
  });

  it("takes one side's reordering", () => {
    const mine = { ...base, fields: [base.fields[2]!, base.fields[0]!, base.fields[1]!] };
    const theirs = structuredClone(base);
    theirs.fields[0]!.label = "Title";
    const { merged, conflicts } = threeWayMerge(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged.fields.map((field) => field.label)).toEqual(["Amount", "Title", "Stage"]);
  });

  it("reports both sides changing the same property, and a removal of something the other changed", () => {
    const mine = structuredClone(base);
    mine.fields[1]!.label = "Phase";
    mine.fields.splice(2, 1);
    const theirs = structuredClone(base);
    theirs.fields[1]!.label = "Step";
    theirs.fields[2]!.label = "Value";
    const { conflicts } = threeWayMerge(base, mine, theirs);
    expect(conflicts).toEqual(['field "Stage" › label', 'field "Amount" (removed on one side, changed on the other)']);
  });

  it("merges a form item moved to another section with an unrelated edit", () => {
    const form = { tabs: [{ id: "t1", sections: [{ id: "s1", items: [{ id: "i1" }, { id: "i2" }] }, { id: "s2", items: [] as { id: string }[] }] }], label: "Form" };
    const mine = structuredClone(form);
    mine.tabs[0]!.sections[1]!.items.push(mine.tabs[0]!.sections[0]!.items.pop()!);
    const theirs = { ...structuredClone(form), label: "Deal form" };
    const { merged, conflicts } = threeWayMerge(form, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged).toEqual({ ...mine, label: "Deal form" });
  });
});
