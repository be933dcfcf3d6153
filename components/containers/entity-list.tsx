"use client";
// The list pattern of every draft tab: entities with their summary, owner and description;
// one editor open at a time (a new one at the bottom); delete in two steps.
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { api } from "../ui/api";
import { Button, EmptyState } from "../ui/primitives";
import { ConfirmButton } from "../ui/confirm-button";

export type Owner = { id: string; name: string; email: string };
export type EntityBase = { id: string; name: string; description: string; ownerId: string | null; revision: number };

/**
 * Focuses the editor's input for a field path (inputs carry it as data-field), or the
 * nearest one for its parent path ("triggerIds.0" → "triggerIds"), or the first field.
 */
function focusField(entity: HTMLElement | null, field: string) {
  const parts = field.split(".");
  for (let n = parts.length; n > 0; n--) {
    const el = entity?.querySelector<HTMLElement>(`[data-field="${CSS.escape(parts.slice(0, n).join("."))}"]`);
    if (el) return el.focus();
  }
  entity?.querySelector<HTMLElement>("input, select, textarea")?.focus();
}

/**
 * The item a link names (?edit=<id>&field=<path>, from a draft problem, the audit log or
 * the Health page): for who may write, its editor open with the field focused (the first
 * field when none is named); for a reader, the item scrolled to, marked and focused. The
 * page keys the list by the link, so a second link to the same tab opens its item too.
 */
export function useLinkedItem(ids: string[], canWrite: boolean, linked?: string, field?: string) {
  const found = linked && ids.includes(linked) ? linked : undefined;
  const [editing, setEditing] = useState<string | "new" | null>(canWrite && found ? found : null);
  useEffect(() => {
    if (!found) return;
    const item = document.getElementById(`entity-${found}`);
    item?.scrollIntoView({ block: "start" });
    if (canWrite) focusField(item, field ?? "");
    else item?.focus();
    // Only when the page opens with them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return { editing, setEditing, linked: found };
}

/** The marks of the linked item's row (for a reader, whose row does not turn into an editor): focusable, aria-current, outlined by LINKED_RING. */
export function linkedProps(isLinked: boolean) {
  return isLinked ? { tabIndex: -1, "aria-current": true as const, "data-linked": "" } : {};
}
export const LINKED_RING = "data-linked:ring-2 data-linked:ring-indigo-500 focus:outline-none";

export function EntityList<T extends EntityBase>({
  noun,
  items,
  owners,
  canWrite,
  canAdd = canWrite,
  deletePath,
  summary,
  editor,
  emptyText,
  initialEditing,
  initialField,
}: {
  noun: string;
  items: T[];
  owners: Owner[];
  canWrite: boolean;
  /** Whether "New …" is offered (defaults to canWrite). */
  canAdd?: boolean;
  deletePath: (item: T) => string;
  summary: (item: T) => ReactNode;
  editor: (item: T | null, close: () => void) => ReactNode;
  emptyText: string;
  /** The entity a link names (?edit=<id>): see useLinkedItem. */
  initialEditing?: string;
  /** The field to focus in it (a draft problem's field path, ?field=conditions.1.value). */
  initialField?: string;
}) {
  const router = useRouter();
  const { editing, setEditing, linked } = useLinkedItem(items.map((i) => i.id), canWrite, initialEditing, initialField);
  const ownerName = (id: string | null) => owners.find((o) => o.id === id)?.name;
  const close = () => setEditing(null);
  return (
    <div className="space-y-4">
      {items.length === 0 && editing !== "new" ? (
        <EmptyState title={`No ${noun}s yet`} action={canAdd ? <Button onClick={() => setEditing("new")}>New {noun}</Button> : null}>
          {emptyText}
        </EmptyState>
      ) : null}
      <ul className="space-y-3">
        {items.map((item) =>
          editing === item.id ? (
            <li key={item.id} id={`entity-${item.id}`}>
              {editor(item, close)}
            </li>
          ) : (
            <li key={item.id} id={`entity-${item.id}`} {...linkedProps(linked === item.id)} className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${LINKED_RING}`}>
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 flex-1">
                  <p className="font-semibold text-slate-900">{item.name}</p>
                  <div className="mt-1 text-sm text-slate-700">{summary(item)}</div>
                  <p className="mt-2 text-xs text-slate-500">
                    {item.description ? <span className="text-slate-600">{item.description} · </span> : null}
                    Owner: {ownerName(item.ownerId) ?? "nobody yet"}
                  </p>
                </div>
                {canWrite ? (
                  <div className="flex gap-2">
                    <Button variant="secondary" onClick={() => setEditing(item.id)} aria-label={`Edit ${noun} ${item.name}`}>
                      Edit
                    </Button>
                    <ConfirmButton label="Delete" confirmLabel={`Delete ${item.name}`} action={() => api("DELETE", deletePath(item))} onDone={() => router.refresh()} />
                  </div>
                ) : null}
              </div>
            </li>
          ),
        )}
      </ul>
      {editing === "new" ? editor(null, close) : null}
      {canAdd && editing !== "new" && items.length > 0 ? <Button onClick={() => setEditing("new")}>New {noun}</Button> : null}
    </div>
  );
}
