import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes what needs it, writes dates as ISO and empties for null", () => {
    const csv = toCsv(
      [{ a: 'say "hi", then\nleave', b: new Date("2026-01-02T03:04:05Z"), c: null, d: 7 }],
      [
        { header: "a", value: (row) => row.a },
        { header: "b", value: (row) => row.b },
        { header: "c", value: (row) => row.c },
        { header: "d", value: (row) => row.d },
      ],
    );
    expect(csv).toBe('a,b,c,d\r\n"say ""hi"", then\nleave",2026-01-02T03:04:05.000Z,,7\r\n');
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    const csv = toCsv([{ email: "=HYPERLINK(\"http://evil\")" }, { email: "@SUM(1)" }, { email: "-1+2" }], [{ header: "email", value: (row) => row.email }]);
    expect(csv.split("\r\n").slice(1, 4)).toEqual(["\"'=HYPERLINK(\"\"http://evil\"\")\"", "'@SUM(1)", "'-1+2"]);
  });
});
