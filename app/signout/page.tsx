"use client";
import { signOut } from "next-auth/react";

export default function SignOutPage() {
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <h1 className="mb-4 text-xl font-semibold">Sign out of ObjectStudio?</h1>
        <button onClick={() => signOut({ callbackUrl: "/signin" })}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Sign out
        </button>
      </div>
    </main>
  );
}
