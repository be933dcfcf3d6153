"use client";
// The catalog upload on the Health page: pick the CSV, say which column holds the product
// id (and the price and currency, if any), send the file as it is. Replaces the catalog.
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Alert, Button } from "../ui/primitives";
import { splitLine } from "./order-upload";

const DELIMITERS: [string, string][] = [[",", "comma"], [";", "semicolon"], ["\t", "tab"], ["|", "pipe"]];

export function CatalogUpload({ siteId }: { siteId: string }) {
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  const [delimiter, setDelimiter] = useState(",");
  const [mapping, setMapping] = useState<{ product_id?: string; price?: string; currency?: string }>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [missing, setMissing] = useState(false);
  const first = useRef("");
  const router = useRouter();

  function read(d: string) {
    const line = first.current.split(/\r?\n/)[0]?.replace(/^\uFEFF/, "") ?? "";
    const h = splitLine(line, d);
    setDelimiter(d);
    setHeader(h);
    const find = (names: string[]) => h.find((x) => names.includes(x.toLowerCase()));
    setMapping({ product_id: find(["product_id", "id", "sku", "product id", "item_id"]), price: find(["price", "sale_price", "amount"]), currency: find(["currency", "currency_code"]) });
  }

  async function choose(f: File | null) {
    setMessage(null);
    setFile(f);
    if (!f) return;
    first.current = await f.slice(0, 16 * 1024).text();
    const line = first.current.split(/\r?\n/)[0] ?? "";
    const best = DELIMITERS.map(([d]) => d).sort((a, b) => splitLine(line, b).length - splitLine(line, a).length)[0];
    read(best);
  }

  async function upload() {
    if (!file) return;
    if (!mapping.product_id) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    const query = new URLSearchParams({ delimiter, product_id: mapping.product_id });
    if (mapping.price) query.set("price", mapping.price);
    if (mapping.currency) query.set("currency", mapping.currency);
    const response = await fetch(`/api/v1/sites/${siteId}/catalog?${query}`, { method: "POST", body: file, headers: { "content-type": "text/csv" }, credentials: "same-origin" }).catch(() => null);
    setBusy(false);
    const body = response ? await response.json().catch(() => null) : null;
    if (response?.status === 201) {
      setMessage({ ok: true, text: `Catalog replaced: ${body.products.toLocaleString("en-GB")} product${body.products === 1 ? "" : "s"}${body.problems.length ? `; ${body.problems.length} row${body.problems.length === 1 ? "" : "s"} skipped (first: row ${body.problems[0].row}, ${body.problems[0].column} ${body.problems[0].message})` : ""}.` });
      router.refresh();
    } else setMessage({ ok: false, text: body?.error?.message ?? "The upload failed: check your connection and try again." });
  }

  return (
    <div className="space-y-3">
      <div>
        <label htmlFor="catalog-file" className="block text-sm font-medium text-slate-800">
          Catalog file (CSV)
        </label>
        <input id="catalog-file" type="file" accept=".csv,text/csv,text/plain" disabled={busy} onChange={(e) => void choose(e.target.files?.[0] ?? null)} className="mt-1 block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-indigo-800" />
      </div>
      {file && header.length ? (
        <div className="flex flex-wrap items-end gap-3">
          {(
            [
              ["product_id", "Product id column", true],
              ["price", "Price column", false],
              ["currency", "Currency column", false],
            ] as const
          ).map(([key, label, required]) => (
            <div key={key}>
              <label htmlFor={`catalog-${key}`} className="block text-xs font-medium text-slate-700">
                {label}
                {required ? <span className="text-red-700"> *</span> : null}
              </label>
              <select id={`catalog-${key}`} value={mapping[key] ?? ""} onChange={(e) => setMapping({ ...mapping, [key]: e.target.value || undefined })} aria-invalid={key === "product_id" && missing ? true : undefined} className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm">
                <option value="">{required ? "— choose —" : "— none —"}</option>
                {header.map((h, i) => (
                  <option key={`${h}-${i}`} value={h}>
                    {h}
                  </option>
                ))}
              </select>
              {key === "product_id" && missing ? <p className="mt-1 text-sm text-red-700">Choose the column that holds the product id</p> : null}
            </div>
          ))}
          <div>
            <label htmlFor="catalog-delimiter" className="block text-xs font-medium text-slate-700">
              Delimiter
            </label>
            <select id="catalog-delimiter" value={delimiter} onChange={(e) => read(e.target.value)} className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm">
              {DELIMITERS.map(([d, name]) => (
                <option key={name} value={d}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <Button type="button" onClick={() => void upload()} disabled={busy}>
            {busy ? "Uploading…" : "Replace the catalog"}
          </Button>
        </div>
      ) : null}
      {message ? <Alert tone={message.ok ? "green" : "red"}>{message.text}</Alert> : null}
    </div>
  );
}
