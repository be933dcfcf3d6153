// What every container page needs: the actor, the container (team-checked), its draft
// with its problems, and the owner choices. Cached per request, so the layout and the
// page share one load.
import { cache } from "react";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { getContainer } from "@/lib/config/containers";
import { getDraftWithProblems } from "@/lib/versions/versions";
import { ownerChoices } from "@/lib/config/members-lookup";

export const loadWorkspace = cache(async (containerId: string) => {
  const actor = await requireActor();
  try {
    const [container, { draft, problems }, owners] = await Promise.all([
      getContainer(actor, containerId),
      getDraftWithProblems(actor, containerId),
      ownerChoices(actor),
    ]);
    return { actor, container, draft, problems, owners };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
});
