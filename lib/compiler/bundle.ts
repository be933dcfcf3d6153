// The browser runtime (runtime/) bundled by esbuild into one minified IIFE, once per
// process: every container script is this bundle plus its configuration.
import path from "node:path";

const cached = new Map<string, Promise<string>>();

/** The container runtime (every container script starts with it). */
export function runtimeBundle(): Promise<string> {
  return bundle("index.ts");
}

/** The preview panel, loaded by containers in preview mode only. */
export function previewBundle(): Promise<string> {
  return bundle("preview-panel.ts");
}

function bundle(entry: string): Promise<string> {
  const hit = cached.get(entry);
  if (hit) return hit;
  const built = (async () => {
    const esbuild = await import("esbuild");
    const result = await esbuild.build({
      entryPoints: [path.join(process.cwd(), "runtime", entry)],
      bundle: true,
      format: "iife",
      target: "es2019",
      minify: true,
      write: false,
      legalComments: "none",
      logLevel: "silent",
    });
    return result.outputFiles[0].text.trim();
  })();
  built.catch(() => cached.delete(entry));
  cached.set(entry, built);
  return built;
}
