import type { Metadata } from "next";
import { LoginHistory } from "@/designers/audit/login-history";

export const metadata: Metadata = { title: "Login history" };

export default function LoginHistoryPage() {
  return <LoginHistory />;
}
