/**
 * The value rules the evaluator and the SQL compiler share, where databases disagree and the
 * formula language has to pick one: rounding is half away from zero on the number's
 * 15-significant-digit decimal form (1.005 -> 1.01, as PostgreSQL's numeric does), and numbers
 * become text with at most 15 significant digits, without exponent.
 */

/** A number with binary noise removed: the value as 15 significant decimal digits. */
function decimal15(value: number): number {
  return Number(value.toPrecision(15));
}

export function roundHalfAwayFromZero(value: number, digits: number): number {
  const abs = Math.abs(decimal15(value));
  const rounded = Number(`${Math.round(Number(`${abs}e${digits}`))}e-${digits}`);
  const result = value < 0 ? -rounded : rounded;
  return result === 0 ? 0 : result;
}

export function numberToText(value: number): string {
  const clean = decimal15(value);
  if (clean === 0) return "0";
  const text = String(clean);
  if (!/e/i.test(text)) return text;
  // Write out exponents (1e-7 -> 0.0000001) as PostgreSQL's numeric text does.
  const [mantissa, exponentText] = text.split(/e/i);
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const pointAt = (mantissa.replace("-", "").indexOf(".") === -1 ? mantissa.replace("-", "").length : mantissa.replace("-", "").indexOf(".")) + exponent;
  let out: string;
  if (pointAt <= 0) out = `0.${"0".repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + "0".repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return (negative ? "-" : "") + out;
}

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** VALUE(): trimmed text that is a plain number, else null. */
export function textToNumber(value: string): number | null {
  const trimmed = value.trim();
  if (!NUMBER_TEXT.test(trimmed)) return null;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : null;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** DATE(y, m, d): the date, or null when it does not exist (no rolling over into the next month). */
export function makeDate(year: number, month: number, day: number): string | null {
  const y = Math.floor(year);
  const m = Math.floor(month);
  const d = Math.floor(day);
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
