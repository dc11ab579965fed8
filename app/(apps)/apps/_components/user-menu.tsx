import { KeyRound, LogOut, ShieldCheck } from "lucide-react";
import Link from "next/link";

function MenuLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <Link href={href} className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900">
      {children}
    </Link>
  );
}

/** The signed-in user's name and email with links to their sessions and password, their API keys, and sign-out (top bar, right). */
export function UserMenu({ user }: { user: { name: string | null; email: string } }) {
  const display = user.name || user.email;
  const initials = display
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join("");
  return (
    <div className="flex items-center gap-3" data-testid="user-menu">
      <span className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700" aria-hidden>
        {initials}
      </span>
      <div className="hidden min-w-0 leading-tight sm:block">
        <p className="truncate text-sm font-medium text-slate-800">{user.name || user.email}</p>
        {user.name && <p className="truncate text-xs text-slate-500">{user.email}</p>}
      </div>
      <MenuLink href="/account/security">
        <ShieldCheck className="h-4 w-4" aria-hidden />
        Security
      </MenuLink>
      <MenuLink href="/account/api-keys">
        <KeyRound className="h-4 w-4" aria-hidden />
        API keys
      </MenuLink>
      <MenuLink href="/signout">
        <LogOut className="h-4 w-4" aria-hidden />
        Sign out
      </MenuLink>
    </div>
  );
}
