"use client";
// The order CSV upload: pick a file, map its columns (guessed from the header, read from
// the first 64 KB only), then send the file itself as the request body. The progress bar
// follows the upload; the server parses as it reads and holds back reading while it
// writes (backpressure), so bytes sent track rows imported. The answer lists the rows
// with problems, with the full report as a CSV download.
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Alert, Button, Table, Td, Th } from "../ui/primitives";

const FIELDS = [
  { key: "order_id", label: "Order id", required: true, guesses: ["order_id", "order id", "orderid", "order", "id", "order number", "name"] },
  { key: "created_at", label: "Created at", required: true, guesses: ["created_at", "created", "date", "order date", "created at", "placed_at", "processed_at"] },
  { key: "value", label: "Value", required: true, guesses: ["value", "total", "amount", "total_price", "revenue", "grand total"] },
  { key: "currency", label: "Currency", required: false, guesses: ["currency", "currency_code", "cur"] },
  { key: "status", label: "Status", required: false, guesses: ["status", "financial_status", "financial status", "state", "order status", "order_status"] },
  { key: "email", label: "Email (hashed on arrival)", required: false, guesses: ["email", "e-mail", "customer email", "customer_email"] },
  { key: "phone", label: "Phone (hashed on arrival)", required: false, guesses: ["phone", "telephone", "phone number", "customer phone"] },
  { key: "channel", label: "Channel tag", required: false, guesses: ["channel", "source", "source_name", "sales channel"] },
] as const;
type FieldKey = (typeof FIELDS)[number]["key"];

const DELIMITERS: [string, string][] = [[",", "comma"], [";", "semicolon"], ["\t", "tab"], ["|", "pipe"]];

/** One CSV line's cells (quotes honoured); enough for a header and a preview. */
export function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells.map((s) => s.trim());
}

function detectDelimiter(line: string): string {
  let best = ",";
  let most = 0;
  for (const [d] of DELIMITERS) {
    const n = splitLine(line, d).length;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

function guess(header: string[]): Partial<Record<FieldKey, string>> {
  const out: Partial<Record<FieldKey, string>> = {};
  const lower = header.map((h) => h.toLowerCase());
  for (const f of FIELDS) {
    const i = lower.findIndex((h) => (f.guesses as readonly string[]).includes(h));
    if (i >= 0 && !Object.values(out).includes(header[i])) out[f.key] = header[i];
  }
  return out;
}

type ImportResult = { id: string; status: string; rows: number; inserted: number; updated: number; unchanged: number; errorRows: number; error: string | null };
type Problem = { row: number; column: string; message: string };

function bytes(n: number): string {
  return n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} KB`;
}

export function OrderUpload({ siteId }: { siteId: string }) {
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  const [preview, setPreview] = useState<string[][]>([]);
  const [delimiter, setDelimiter] = useState(",");
  const [mapping, setMapping] = useState<Partial<Record<FieldKey, string>>>({});
  const [progress, setProgress] = useState<number | null>(null);
  const [phase, setPhase] = useState<"idle" | "uploading" | "saving">("idle");
  const [result, setResult] = useState<{ ok: boolean; record: ImportResult | null; message: string; problems: Problem[] } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [fileError, setFileError] = useState<string | null>(null);
  const firstChunk = useRef("");
  const router = useRouter();

  async function choose(f: File | null) {
    setResult(null);
    setFieldErrors({});
    setFileError(null);
    setFile(f);
    if (!f) return;
    const text = await f.slice(0, 64 * 1024).text();
    firstChunk.current = text;
    const lines = text.split(/\r?\n/).filter((l) => l.trim());
    if (!lines.length) {
      setFileError("The file is empty.");
      setHeader([]);
      return;
    }
    const d = detectDelimiter(lines[0]);
    readHeader(d);
  }

  function readHeader(d: string) {
    const lines = firstChunk.current.split(/\r?\n/).filter((l) => l.trim());
    const h = splitLine(lines[0].replace(/^\uFEFF/, ""), d);
    setDelimiter(d);
    setHeader(h);
    setPreview(lines.slice(1, 4).map((l) => splitLine(l, d)));
    setMapping(guess(h));
  }

  function upload() {
    if (!file) return;
    const missing = Object.fromEntries(FIELDS.filter((f) => f.required && !mapping[f.key]).map((f) => [f.key, "Choose the column that holds this"]));
    setFieldErrors(missing);
    if (Object.keys(missing).length) return;
    const query = new URLSearchParams({ delimiter, fileName: file.name });
    for (const [k, v] of Object.entries(mapping)) if (v) query.set(k, v);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/sites/${siteId}/orders/import?${query}`);
    xhr.setRequestHeader("content-type", "text/csv");
    setProgress(0);
    setPhase("uploading");
    setResult(null);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => {
      setProgress(1);
      setPhase("saving");
    };
    xhr.onerror = () => {
      setPhase("idle");
      setProgress(null);
      setResult({ ok: false, record: null, message: "Tagpipe could not be reached: check your connection and try again.", problems: [] });
    };
    xhr.onload = async () => {
      setPhase("idle");
      let body: { error?: { message?: string; fields?: { path: string; message: string }[] }; import?: ImportResult } & Partial<ImportResult> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: the status says enough */
      }
      if (xhr.status === 401) router.push(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
      const record = xhr.status === 201 ? (body as ImportResult) : (body.import ?? null);
      if (xhr.status === 422 && !record && body.error?.fields) {
        setFieldErrors(Object.fromEntries(body.error.fields.map((f) => [f.path, f.message])));
      }
      let problems: Problem[] = [];
      if (record?.errorRows) {
        const detail = await fetch(`/api/v1/order-imports/${record.id}`, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : null));
        problems = detail?.errors ?? [];
      }
      router.refresh();
      setResult({ ok: xhr.status === 201, record, message: body.error?.message ?? (xhr.status === 201 ? "" : `The upload failed (${xhr.status}).`), problems });
    };
    xhr.send(file);
  }

  const busy = phase !== "idle";
  return (
    <div className="space-y-5">
      <div>
        <label htmlFor="orders-file" className="block text-sm font-medium text-slate-800">
          Order file (CSV)
        </label>
        <input
          id="orders-file"
          type="file"
          accept=".csv,text/csv,text/plain"
          disabled={busy}
          onChange={(e) => void choose(e.target.files?.[0] ?? null)}
          className="mt-1 block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-indigo-800 hover:file:bg-indigo-100"
        />
        <p className="mt-1 text-xs text-slate-500">A header line, then one order per line. Dates in ISO 8601 (2026-12-05 or 2026-12-05T14:30:00Z; no zone means UTC), values with a dot for decimals. Any size: the file is streamed.</p>
        {fileError ? <p className="mt-1 text-sm text-red-700">{fileError}</p> : null}
      </div>

      {file && header.length ? (
        <fieldset className="space-y-3" disabled={busy}>
          <legend className="text-sm font-semibold text-slate-900">
            Map the columns of {file.name} ({bytes(file.size)})
          </legend>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <label htmlFor="orders-delimiter" className="text-slate-700">
              Delimiter
            </label>
            <select id="orders-delimiter" value={delimiter} onChange={(e) => readHeader(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-sm">
              {DELIMITERS.map(([d, name]) => (
                <option key={name} value={d}>
                  {name}
                </option>
              ))}
            </select>
            <span className="text-xs text-slate-500">detected from the header; change it if the columns look wrong</span>
          </div>
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            {FIELDS.map((f) => (
              <div key={f.key}>
                <label htmlFor={`map-${f.key}`} className="block text-sm font-medium text-slate-800">
                  {f.label}
                  {f.required ? <span className="text-red-700"> *</span> : <span className="font-normal text-slate-500"> (optional)</span>}
                </label>
                <select
                  id={`map-${f.key}`}
                  value={mapping[f.key] ?? ""}
                  aria-invalid={fieldErrors[f.key] ? true : undefined}
                  aria-describedby={fieldErrors[f.key] ? `map-${f.key}-error` : undefined}
                  onChange={(e) => setMapping({ ...mapping, [f.key]: e.target.value || undefined })}
                  className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
                >
                  <option value="">{f.required ? "— choose a column —" : "— none —"}</option>
                  {header.map((h, i) => (
                    <option key={`${h}-${i}`} value={h}>
                      {h || `(column ${i + 1})`}
                    </option>
                  ))}
                </select>
                {fieldErrors[f.key] ? (
                  <p id={`map-${f.key}-error`} className="mt-1 text-sm text-red-700">
                    {fieldErrors[f.key]}
                  </p>
                ) : null}
              </div>
            ))}
          </div>
          {preview.length ? (
            <div>
              <p className="mb-1 text-xs font-medium text-slate-600">First rows, as mapped</p>
              <Table>
                <thead>
                  <tr>
                    {FIELDS.filter((f) => mapping[f.key]).map((f) => (
                      <Th key={f.key}>{f.key}</Th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {preview.map((row, r) => (
                    <tr key={r}>
                      {FIELDS.filter((f) => mapping[f.key]).map((f) => (
                        <Td key={f.key} className="max-w-48 truncate">
                          {f.key === "email" || f.key === "phone" ? "•••" : row[header.indexOf(mapping[f.key]!)]}
                        </Td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </Table>
            </div>
          ) : null}
          <Button type="button" onClick={upload}>
            Import orders
          </Button>
        </fieldset>
      ) : null}

      {progress !== null ? (
        <div>
          <div className="flex justify-between text-sm text-slate-700">
            <span>{phase === "saving" ? "Uploaded; committing the import…" : phase === "uploading" ? "Uploading and importing…" : result?.ok ? "Done" : "Stopped"}</span>
            <span>{Math.round(progress * 100)} %</span>
          </div>
          <div role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)} className="mt-1 h-2.5 w-full overflow-hidden rounded-full bg-slate-200">
            <div className="h-full rounded-full bg-indigo-600 transition-[width]" style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
        </div>
      ) : null}

      {result ? (
        <div className="space-y-3" data-testid="import-result">
          {result.ok && result.record ? (
            <Alert tone={result.record.errorRows ? "amber" : "green"}>
              Imported {result.record.rows.toLocaleString("en-GB")} rows: {result.record.inserted.toLocaleString("en-GB")} new, {result.record.updated.toLocaleString("en-GB")} updated, {result.record.unchanged.toLocaleString("en-GB")} unchanged
              {result.record.errorRows ? `; ${result.record.errorRows.toLocaleString("en-GB")} rows skipped with errors.` : "."}
            </Alert>
          ) : (
            <Alert tone="red">
              {result.record ? "File refused, nothing was imported: " : ""}
              {result.message}
            </Alert>
          )}
          {result.record && (result.record.errorRows || result.record.error) ? (
            <a href={`/api/v1/order-imports/${result.record.id}/errors`} className="inline-block text-sm font-medium text-indigo-700 hover:underline" download>
              Download the error report (CSV)
            </a>
          ) : null}
          {result.problems.length ? (
            <Table>
              <thead>
                <tr>
                  <Th>Row</Th>
                  <Th>Column</Th>
                  <Th>Problem</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.problems.slice(0, 20).map((p, i) => (
                  <tr key={i}>
                    <Td>{p.row}</Td>
                    <Td>{p.column}</Td>
                    <Td>{p.message}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
