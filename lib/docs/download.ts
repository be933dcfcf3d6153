// The tracking-plan document as a file download, named after the site.
import type { Actor } from "../auth/actor";
import { toHtml, toMarkdown } from "./render";
import { trackingPlanDoc } from "./tracking-plan";

const FORMATS = {
  markdown: { type: "text/markdown; charset=utf-8", extension: "md", render: toMarkdown },
  html: { type: "text/html; charset=utf-8", extension: "html", render: toHtml },
} as const;

export async function trackingPlanDownload(actor: Actor, siteId: string, format: keyof typeof FORMATS): Promise<Response> {
  const doc = await trackingPlanDoc(actor, siteId);
  const { type, extension, render } = FORMATS[format];
  const slug = doc.site.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "site";
  return new Response(render(doc), {
    headers: {
      "content-type": type,
      "content-disposition": `attachment; filename="tracking-plan-${slug}.${extension}"`,
      "cache-control": "no-store",
      // An exported page opened from the API runs nothing.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
