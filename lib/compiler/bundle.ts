// The browser runtime (runtime/) bundled by esbuild into one minified IIFE, once per
// process: every container script is this bundle plus its configuration.
import path from "node:path";

let cached: Promise<string> | undefined;

export function runtimeBundle(): Promise<string> {
  cached ??= (async () => {
    const esbuild = await import("esbuild");
    const result = await esbuild.build({
      entryPoints: [path.join(process.cwd(), "runtime", "index.ts")],
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
  cached.catch(() => (cached = undefined));
  return cached;
}
