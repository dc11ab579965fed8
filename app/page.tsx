import { redirect } from "next/navigation";
import { getCurrentUser } from "@/server/auth/current-user";

export const dynamic = "force-dynamic";

/** Home: admins land in the studio, users in the app launcher, everyone else on sign-in. */
export default async function HomePage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  redirect(user.role === "admin" ? "/studio" : "/apps");
}
