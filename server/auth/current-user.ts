import "server-only";
import { getServerSession } from "next-auth";
import { getServices } from "@/server/services";
import { authOptions, type CurrentUser } from "./options";
import { isRole } from "./roles";

/** The signed-in user, re-read from the database (role and active flag are authoritative there). */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const { platformDb } = await getServices();
  const user = await platformDb.user.findUnique({ where: { id } });
  if (!user || !user.active || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
