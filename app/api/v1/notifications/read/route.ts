// POST /api/v1/notifications/read – mark notifications read (all when no ids are given)
import { route } from "@/lib/api/handler";
import { notificationsRead } from "@/lib/schemas/resources";
import { markNotificationsRead } from "@/lib/team/notifications";

export const POST = route({ permission: "team:read", body: notificationsRead }, ({ actor, body }) => markNotificationsRead(actor, body.ids));
