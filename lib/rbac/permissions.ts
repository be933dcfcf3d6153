// The one role → permission table. Every route names the permission it needs and
// nothing else decides who may do what.
import type { Role } from "../generated/prisma/enums";

export const ROLES = ["owner", "publisher", "editor", "viewer"] as const satisfies readonly Role[];

const READ = [
  "team:read",
  "site:read",
  "region:read",
  "container:read",
  "environment:read",
  "member:read",
  "audit:read",
  "plan:read",
  "version:read",
  "delivery:read",
  "health:read",
  "alert:read",
] as const;
const EDIT = ["site:write", "region:write", "container:write", "plan:write", "draft:write", "version:create"] as const;
const PUBLISH = ["site:delete", "container:delete", "environment:write", "version:publish", "delivery:replay", "alert:manage"] as const;
const OWN = ["team:update", "team:delete", "member:manage", "token:manage"] as const;

export type Permission = (typeof READ | typeof EDIT | typeof PUBLISH | typeof OWN)[number];

export const PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set([...READ]),
  editor: new Set([...READ, ...EDIT]),
  publisher: new Set([...READ, ...EDIT, ...PUBLISH]),
  owner: new Set([...READ, ...EDIT, ...PUBLISH, ...OWN]),
};

export const ALL_PERMISSIONS: readonly Permission[] = [...READ, ...EDIT, ...PUBLISH, ...OWN];

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].has(permission);
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, plus members, API tokens and team settings",
  publisher: "Edit drafts, publish and roll back versions, manage environments and alerts, delete sites",
  editor: "Edit sites, regions, the tracking plan and container drafts; create versions",
  viewer: "Read everything, change nothing",
};
