import bcrypt from "bcryptjs";

/** bcrypt with cost 12: slow enough to resist offline guessing, ~250 ms per sign-in on our cores. */
const COST = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** Rules for a new password; returns what is wrong, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return "must be at least 8 characters";
  if (password.length > 200) return "must be at most 200 characters";
  return null;
}
