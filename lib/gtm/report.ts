// The import report: every tag, trigger, variable and built-in variable of the GTM file,
// each imported as it was, converted with changes (what changed and why), or not
// importable (why). Nothing in the file goes unmentioned.
export const REPORT_STATUSES = ["imported", "converted", "not_importable"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export type ReportLine = {
  entity: "tag" | "trigger" | "variable" | "built_in";
  /** GTM's id (tagId, triggerId, variableId; the type for built-ins) */
  gtmId: string;
  name: string;
  /** GTM's type: gaawe, customEvent, v… */
  gtmType: string;
  status: ReportStatus;
  /** What changed and why, or why it cannot be imported. */
  notes: string[];
  /** The Tagpipe entities it became ("trigger: Purchase", "destination: GA4 G-…"). */
  becomes: string[];
};

export type ReportSummary = Record<ReportStatus, number>;

export function summarize(lines: ReportLine[]): ReportSummary {
  const out: ReportSummary = { imported: 0, converted: 0, not_importable: 0 };
  for (const l of lines) out[l.status] += 1;
  return out;
}

/** Builds one line; `change` and `refuse` move its status, so the worst outcome wins. */
export class LineBuilder {
  line: ReportLine;
  constructor(entity: ReportLine["entity"], gtmId: string, name: string, gtmType: string) {
    this.line = { entity, gtmId, name, gtmType, status: "imported", notes: [], becomes: [] };
  }
  note(text: string) {
    this.line.notes.push(text);
    return this;
  }
  change(text: string) {
    if (this.line.status === "imported") this.line.status = "converted";
    return this.note(text);
  }
  refuse(text: string) {
    this.line.status = "not_importable";
    this.line.becomes = [];
    return this.note(text);
  }
  get refused() {
    return this.line.status === "not_importable";
  }
}
