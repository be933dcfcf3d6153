// The browser runtime (runtime/) bundled by esbuild into one IIFE: the generic runtime
// with every feature, or a container's own with only the features its configuration uses
// (features.ts), the others' code dropped. esbuild bundles, drops and minifies; terser
// then compresses again and names the variables by frequency, which gzips some 5%
// smaller than esbuild alone (and takes ~100 ms on esbuild's output, against ~200 ms on
// unminified code). Bundles are cached per feature set for the life of the process, so a
// publish rarely waits for them.
import path from "node:path";
import { ALL_FEATURES, FEATURES, defines, type Features } from "./features";

const cached = new Map<string, Promise<string>>();

/** The container runtime (every container script starts with it); without features, the generic one. */
export function runtimeBundle(features: Features = ALL_FEATURES): Promise<string> {
  return bundle("index.ts", features);
}

/** A container's tags script (runtime/tags.ts): its platforms' tags, loaded on the first conversion that fires a pixel. */
export function tagsBundle(features: Features): Promise<string> {
  return bundle("tags.ts", features);
}

/** The preview panel, loaded by containers in preview mode only. */
export function previewBundle(): Promise<string> {
  return bundle("preview-panel.ts", ALL_FEATURES);
}

/**
 * esbuild's service is a child process that pings this one every second while it lives
 * (measured: about 0.2 % of a core between the two of them, on an idle server). A bundle is
 * built once per feature set and cached, so the service is stopped once no build has run
 * for a few seconds; the next build starts it again (~10 ms).
 */
const SERVICE_IDLE_MS = 5_000;
let building = 0;
let idleStop: NodeJS.Timeout | undefined;

function bundle(entry: string, features: Features): Promise<string> {
  const key = `${entry}:${FEATURES.map((f) => (features[f] ? 1 : 0)).join("")}`;
  const hit = cached.get(key);
  if (hit) return hit;
  const built = (async () => {
    const [esbuild, terser] = await Promise.all([import("esbuild"), import("terser")]);
    building++;
    clearTimeout(idleStop);
    let result: { outputFiles: { text: string }[] };
    try {
      result = await esbuild.build({
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
    } finally {
      if (--building === 0) {
        idleStop = setTimeout(() => void esbuild.stop(), SERVICE_IDLE_MS);
        idleStop.unref();
      }
    }
    // Arrows for functions and methods that use neither `this` nor `arguments`, comparisons
    // turned for shorter forms, unused parameters dropped: 14 B gzip off the fixture; a
    // second pass 9 B more (2026-12-06; a third would take 3 B more). A bundle is built
    // once per feature set and cached, so the passes cost the first publish of a set only.
    const compress = { passes: 2, unsafe_arrows: true, unsafe_methods: true, unsafe_comps: true, keep_fargs: false };
    const minified = await terser.minify(result.outputFiles[0].text, { ecma: 2020, compress, mangle: { toplevel: true }, format: { comments: false } });
    // V8's explicit compile hint: compile every function with the script. Without it V8
    // compiles only the top level and preparses the functions, then parses each again
    // when it is first called — and a container calls most of its functions on the page
    // that loads it (boot, the pushes, a conversion, the beacon): 2–5 ms less main-thread
    // CPU on the bench's checkout page (docs/benchmarks.md). Chrome 136+; other browsers
    // read a comment. Not for the preview panel, which only preview pages load.
    const hint = entry === "preview-panel.ts" ? "" : "//# allFunctionsCalledOnLoad\n";
    return hint + minified.code!.trim();
  })();
  built.catch(() => cached.delete(key));
  cached.set(key, built);
  return built;
}
