import type { Metadata } from "next";
import { SecurityDesigner } from "@/designers/permissions/security-designer";

export const metadata: Metadata = { title: "Permissions and sharing" };

/** The security model: profiles and permission sets, roles, groups, sharing, user assignments and field history. */
export default function StudioSecurityPage() {
  return <SecurityDesigner />;
}
