// The origin people reach this Tagpipe at, for links we hand out (invitations).
import { env } from "../env";

export function publicOrigin(request: Request): string {
  return env().NEXTAUTH_URL?.replace(/\/$/, "") ?? new URL(request.url).origin;
}
