// The one role → permission table, spelled out: a change to who may do what must change
// this test too.
import { describe, expect, it } from "vitest";
import { Role } from "@/lib/generated/prisma/enums";
import { ALL_PERMISSIONS, PERMISSIONS, ROLES, ROLE_DESCRIPTIONS, can, type Permission } from "@/lib/rbac/permissions";
import { authorize, type Actor } from "@/lib/auth/actor";
import { ForbiddenError } from "@/lib/errors";
import { OPERATIONS } from "@/lib/api/openapi";

// Viewers read everything; editors edit sites, regions, the tracking plan and drafts, and
// freeze drafts into versions; publishers also publish, manage environments and alert
// rules, channels and incidents, and delete;
// owners also manage the team, its members and API tokens.
const READ: Permission[] = ["team:read", "site:read", "region:read", "container:read", "environment:read", "member:read", "audit:read", "plan:read", "version:read", "delivery:read", "health:read", "alert:read"];
const EDIT: Permission[] = ["site:write", "region:write", "container:write", "plan:write", "draft:write", "version:create"];
const PUBLISH: Permission[] = ["site:delete", "container:delete", "environment:write", "version:publish", "delivery:replay", "alert:manage"];
const OWN: Permission[] = ["team:update", "team:delete", "member:manage", "token:manage"];

const EXPECTED: Record<Role, Permission[]> = {
  viewer: READ,
  editor: [...READ, ...EDIT],
  publisher: [...READ, ...EDIT, ...PUBLISH],
  owner: [...READ, ...EDIT, ...PUBLISH, ...OWN],
};

describe("role → permission table", () => {
  it("knows exactly the four roles of the schema, strongest first", () => {
    expect(ROLES).toEqual(["owner", "publisher", "editor", "viewer"]);
    expect([...ROLES].sort()).toEqual(Object.values(Role).sort());
    for (const role of ROLES) expect(ROLE_DESCRIPTIONS[role]).toBeTruthy();
  });

  it.each(ROLES)("%s has exactly its permissions", (role) => {
    expect([...PERMISSIONS[role]].sort()).toEqual([...EXPECTED[role]].sort());
    for (const permission of ALL_PERMISSIONS) expect(can(role, permission), permission).toBe(EXPECTED[role].includes(permission));
  });

  it("viewers only read", () => {
    expect([...PERMISSIONS.viewer].every((p) => p.endsWith(":read"))).toBe(true);
  });

  it("each role has everything of the role below it", () => {
    for (let i = 0; i < ROLES.length - 1; i++) {
      const [stronger, weaker] = [PERMISSIONS[ROLES[i]], PERMISSIONS[ROLES[i + 1]]];
      for (const p of weaker) expect(stronger.has(p), `${ROLES[i]} lacks ${p}`).toBe(true);
      expect(stronger.size).toBeGreaterThan(weaker.size);
    }
  });

  it("lists every permission once", () => {
    expect(new Set(ALL_PERMISSIONS).size).toBe(ALL_PERMISSIONS.length);
    expect([...ALL_PERMISSIONS].sort()).toEqual([...READ, ...EDIT, ...PUBLISH, ...OWN].sort());
  });

  it("every API operation names a known permission or is explicitly public", () => {
    for (const op of OPERATIONS) {
      if (op.permission === null) expect(["/signup", "/invites/accept"]).toContain(op.path);
      else expect(ALL_PERMISSIONS).toContain(op.permission);
    }
  });
});

describe("authorize", () => {
  const actor = (role: Role): Actor => ({ teamId: "t", role, label: "x", userId: "u", tokenId: null });

  it("lets an allowed actor through", () => {
    expect(() => authorize(actor("editor"), "site:write")).not.toThrow();
  });

  it("refuses with a 403 naming the role and the permission", () => {
    let error: unknown;
    try {
      authorize(actor("editor"), "site:delete");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).status).toBe(403);
    expect((error as ForbiddenError).message).toContain("editor");
    expect((error as ForbiddenError).message).toContain("site:delete");
  });
});
