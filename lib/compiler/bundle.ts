// The browser runtime (runtime/) bundled by esbuild into one minified IIFE: the generic
// runtime with every feature, or a container's own with only the features its
// configuration uses (features.ts), the others' code dropped. Bundles are cached per
// feature set for the life of the process, so a publish rarely waits for esbuild.
import path from "node:path";
import { ALL_FEATURES, FEATURES, defines, type Features } from "./features";

const cached = new Map<string, Promise<string>>();

/** The container runtime (every container script starts with it); without features, the generic one. */
export function runtimeBundle(features: Features = ALL_FEATURES): Promise<string> {
  return bundle("index.ts", features);
}

/** The preview panel, loaded by containers in preview mode only. */
export function previewBundle(): Promise<string> {
  return bundle("preview-panel.ts", ALL_FEATURES);
}

function bundle(entry: string, features: Features): Promise<string> {
  const key = `${entry}:${FEATURES.map((f) => (features[f] ? 1 : 0)).join("")}`;
  const hit = cached.get(key);
  if (hit) return hit;
  const built = (async () => {
    const esbuild = await import("esbuild");
    const result = await esbuild.build({
      entryPoints: [path.join(process.cwd(), "runtime", entry)],
      bundle: true,
      format: "iife",
      // Optional chaining and ?? as written (2020 browsers: Chrome 80, Safari 13.1, Firefox 74).
      target: "es2020",
      minify: true,
      charset: "utf8",
      write: false,
      legalComments: "none",
      logLevel: "silent",
      define: defines(features),
    });
    return result.outputFiles[0].text.trim();
  })();
  built.catch(() => cached.delete(key));
  cached.set(key, built);
  return built;
}
