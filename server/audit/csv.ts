/** A CSV column: its header and how to read the cell from a row. */
export type CsvColumn<Row> = { header: string; value: (row: Row) => string | number | Date | null | undefined };

/**
 * RFC 4180 CSV (CRLF line ends, quoted where needed). Cells that a spreadsheet would run as a
 * formula (starting with = + - @ or a tab/CR) get a leading apostrophe: audit data holds text
 * that users typed, such as the email tried at sign-in.
 */
export function toCsv<Row>(rows: Row[], columns: CsvColumn<Row>[]): string {
  const lines = [columns.map((column) => cell(column.header))];
  for (const row of rows) lines.push(columns.map((column) => cell(column.value(row))));
  return lines.map((line) => line.join(",")).join("\r\n") + "\r\n";
}

function cell(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
