// Who is acting: a signed-in member or an API token, always within one team.
import type { Role } from "../generated/prisma/enums";
import { can, type Permission } from "../rbac/permissions";
import { ForbiddenError } from "../errors";

export type Actor = {
  teamId: string;
  role: Role;
  /** Shown in the audit log. */
  label: string;
  userId: string | null;
  tokenId: string | null;
};

export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new ForbiddenError(`The ${actor.role} role does not have the ${permission} permission`);
  }
}
