"use client";
import { useCallback, useState } from "react";
import { SecurityCommandError } from "./security-designer-store";

/**
 * Runs store commands that may be refused (a role still in use, no profile yet): a refusal's
 * message is kept for display until the next command succeeds or `clear` is called.
 */
export function useCommandRefusal() {
  const [refusal, setRefusal] = useState<string | null>(null);
  const run = useCallback((command: () => unknown): boolean => {
    try {
      command();
      setRefusal(null);
      return true;
    } catch (error) {
      if (!(error instanceof SecurityCommandError)) throw error;
      setRefusal(error.message);
      return false;
    }
  }, []);
  const clear = useCallback(() => setRefusal(null), []);
  return { refusal, run, clear };
}
