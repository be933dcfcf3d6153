// GET /api/v1/notifications – the caller's notifications, newest first, with the unread count
import { route } from "@/lib/api/handler";
import { listNotifications } from "@/lib/team/notifications";

export const GET = route({ permission: "team:read" }, ({ actor }) => listNotifications(actor));
