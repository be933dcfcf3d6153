// Small building blocks shared by every dashboard page, so pages look and behave alike.
import Link from "next/link";
import type { ComponentProps, ReactNode } from "react";
import { BUTTON, cx, type ButtonVariant } from "./styles";

export { Button } from "./button";
export type { ButtonVariant } from "./styles";

export function ButtonLink({ variant = "primary", className, ...props }: ComponentProps<typeof Link> & { variant?: ButtonVariant }) {
  return (
    <Link
      {...props}
      className={cx("inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm", BUTTON[variant], className)}
    />
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description ? <p className="mt-1 max-w-2xl text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

export function Card({ title, description, actions, children, className }: { title?: string; description?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={cx("rounded-lg border border-slate-200 bg-white shadow-sm", className)}>
      {title ? (
        <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-3">
          <div>
            <h2 className="text-base font-semibold text-slate-900">{title}</h2>
            {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
          </div>
          {actions}
        </header>
      ) : null}
      <div className="p-5">{children}</div>
    </section>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <p className="text-sm font-semibold text-slate-900">{title}</p>
      {children ? <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">{children}</p> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}

const BADGE = {
  slate: "bg-slate-100 text-slate-700 ring-slate-200",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  red: "bg-red-50 text-red-800 ring-red-200",
  indigo: "bg-indigo-50 text-indigo-800 ring-indigo-200",
} as const;

export function Badge({ tone = "slate", children }: { tone?: keyof typeof BADGE; children: ReactNode }) {
  return <span className={cx("inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset", BADGE[tone])}>{children}</span>;
}

export function Alert({ tone = "red", children }: { tone?: "red" | "green" | "amber"; children: ReactNode }) {
  const styles = { red: "border-red-200 bg-red-50 text-red-800", green: "border-emerald-200 bg-emerald-50 text-emerald-800", amber: "border-amber-200 bg-amber-50 text-amber-900" };
  return (
    <div role={tone === "red" ? "alert" : "status"} className={cx("rounded-md border px-3 py-2 text-sm", styles[tone])}>
      {children}
    </div>
  );
}

/**
 * A table that scrolls sideways inside its own box, never the page. `stack`: on a phone
 * (below 640 px) each row becomes a card, each cell under its label (Td's `label`).
 */
export function Table({ children, stack }: { children: ReactNode; stack?: boolean }) {
  return (
    // Focusable, so a keyboard can scroll a table wider than its box.
    // `relative`: a visually hidden label (sr-only, absolutely positioned) stays inside the
    // scrolling box instead of widening the page from the table's far edge.
    <div className="relative overflow-x-auto" tabIndex={0}>
      <table className={cx("min-w-full divide-y divide-slate-200 text-left text-sm", stack && "table-stack")}>{children}</table>
    </div>
  );
}

export function Th({ children, className }: { children?: ReactNode; className?: string }) {
  return <th scope="col" className={cx("px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500", className)}>{children}</th>;
}

export function Td({ children, className, label }: { children?: ReactNode; className?: string; label?: string }) {
  return (
    <td data-label={label} className={cx("px-3 py-2 align-top text-slate-800", className)}>
      {children}
    </td>
  );
}

export function formatDate(value: Date | string): string {
  return new Date(value).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}
