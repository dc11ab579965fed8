"use client";
import { signIn } from "next-auth/react";
import { useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { sameOriginUrl } from "@/server/auth/redirect-target";
import { lockedMessage, lockedUntil } from "@/server/auth/sign-in-errors";

/** Why the user is here again, from `?reason=`: said above the form. */
const REASONS: Record<string, string> = {
  "password-changed": "Your password was changed and you were signed out everywhere. Sign in with the new password.",
  "signed-out-everywhere": "You were signed out on all your devices.",
};

export function SignInForm() {
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const reason = Object.hasOwn(REASONS, params.get("reason") ?? "") ? REASONS[params.get("reason")!] : null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      const until = lockedUntil(result?.error);
      setError(until ? lockedMessage(until) : "Wrong email or password.");
      return;
    }
    // A full navigation, so the server renders the next page with the new session cookie; only
    // ever to our own origin, however the callbackUrl is spelled (no open redirect).
    window.location.assign(sameOriginUrl(params.get("callbackUrl"), window.location.origin));
  }

  return (
    // POST, so a form sent before the page's scripts run never puts the password in the URL (history, logs, Referer).
    <form method="post" onSubmit={onSubmit} className="space-y-4">
      {reason && <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">{reason}</p>}
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" autoComplete="username" required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100" />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input name="password" type="password" autoComplete="current-password" required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100" />
      </label>
      {error && <p role="alert" className="text-sm text-red-600">{error}</p>}
      <button type="submit" disabled={pending}
        className="w-full rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
