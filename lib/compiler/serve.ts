// Container script delivery, on the hot path in front of Next:
//   /c/<public key>.js                    what the environment serves now: strong ETag, short cache, CORS
//   /c/<public key>.<hash>.js             one exact script for ever: immutable, long cache (SRI-pinnable)
//   /c/<public key>.<version>.preview.js  the preview panel with that version's names (preview mode only)
//   /c/preview.js                         the panel without names, for scripts published before names moved out
import { prisma } from "../db";
import type { Snapshot } from "../versions/snapshot";
import { SCRIPT_PATH } from "./publish-script";
import { previewBundle } from "./bundle";
import { compileNames } from "./compile-config";
import { injectNames } from "./inject";

type Script = { body: string; hash: string; integrity: string };
type Caches = { current: Map<string, { at: number; script: Promise<Script | null> }>; exact: Map<string, Script> };
// On globalThis: server.ts serves scripts, Next's bundled routes publish, and they are
// separate module graphs in one process; a publish must clear the map that serves
// (lib/config/changes.ts). The TTL only covers a missed notification from another process.
const CACHES = Symbol.for("tagpipe.scriptCaches");
function caches(): Caches {
  const holder = globalThis as { [CACHES]?: Caches };
  holder[CACHES] ??= { current: new Map(), exact: new Map() };
  return holder[CACHES];
}
const TTL_MS = 2_000;

async function load(publicKey: string, hash?: string): Promise<Script | null> {
  const db = await prisma();
  const env = await db.environment.findUnique({ where: { publicKey }, select: { id: true, scriptHash: true } });
  const wanted = hash ?? env?.scriptHash;
  if (!env || !wanted) return null;
  return db.containerScript.findUnique({ where: { environmentId_hash: { environmentId: env.id, hash: wanted } }, select: { body: true, hash: true, integrity: true } });
}

export type ScriptReply = { status: number; headers: Record<string, string>; body: string };

const KEY = /^tp_[A-Za-z0-9_-]{10,64}$/;

const panels = new Map<string, Promise<string | null>>();

/**
 * The preview panel with the names of one version's triggers, variables and destinations.
 * A version never changes, so each is compiled once per process.
 */
function panelFor(publicKey: string, version: number): Promise<string | null> {
  const key = `${publicKey}.${version}`;
  const hit = panels.get(key);
  if (hit) return hit;
  const built = (async () => {
    const db = await prisma();
    const env = await db.environment.findUnique({ where: { publicKey }, select: { name: true, containerId: true } });
    if (!env) return null;
    const row = await db.version.findUnique({ where: { containerId_number: { containerId: env.containerId, number: version } }, select: { snapshot: true } });
    if (!row) return null;
    return injectNames(await previewBundle(), compileNames(row.snapshot as unknown as Snapshot, { environment: env, version }));
  })();
  // Only found panels stay cached: a version published later must be found then.
  built.then((body) => body ?? panels.delete(key), () => panels.delete(key));
  if (panels.size > 500) panels.clear();
  panels.set(key, built);
  return built;
}

/** Answers a script path, or returns null when the path is not ours. */
export async function serveScript(path: string, ifNoneMatch: string | undefined): Promise<ScriptReply | null> {
  if (!path.startsWith(`${SCRIPT_PATH}/`) || !path.endsWith(".js")) return null;
  const name = path.slice(SCRIPT_PATH.length + 1, -3);
  const dot = name.lastIndexOf(".");
  const publicKey = dot > 0 ? name.slice(0, dot) : name;
  const hash = dot > 0 ? name.slice(dot + 1) : undefined;
  const headers = { "content-type": "application/javascript; charset=utf-8", "access-control-allow-origin": "*", "x-content-type-options": "nosniff" };
  if (name === "preview") return { status: 200, headers: { ...headers, "cache-control": "public, max-age=300" }, body: injectNames(await previewBundle(), null) };
  const preview = /^(tp_[A-Za-z0-9_-]{10,64})\.(\d{1,9})\.preview$/.exec(name);
  if (preview) {
    const body = await panelFor(preview[1], Number(preview[2]));
    if (!body) return { status: 404, headers: { ...headers, "cache-control": "no-store" }, body: "/* unknown container version */" };
    return { status: 200, headers: { ...headers, "cache-control": "public, max-age=300" }, body };
  }
  if (!KEY.test(publicKey) || (hash !== undefined && !/^[a-f0-9]{64}$/.test(hash))) {
    return { status: 404, headers: { ...headers, "cache-control": "no-store" }, body: "/* unknown container */" };
  }
  let script: Script | null;
  const { current, exact } = caches();
  if (hash) {
    script = exact.get(`${publicKey}.${hash}`) ?? (await load(publicKey, hash));
    if (script) {
      if (exact.size > 500) exact.clear();
      exact.set(`${publicKey}.${hash}`, script);
    }
  } else {
    const hit = current.get(publicKey);
    const fresh = hit && Date.now() - hit.at < TTL_MS;
    const pending = fresh ? hit.script : load(publicKey);
    if (!fresh) {
      if (current.size > 10_000) current.clear();
      current.set(publicKey, { at: Date.now(), script: pending });
    }
    script = await pending;
  }
  if (!script) return { status: 404, headers: { ...headers, "cache-control": "no-store" }, body: "/* nothing is published to this environment */" };
  const etag = `"${script.hash}"`;
  const cache = hash ? "public, max-age=31536000, immutable" : "public, max-age=60, stale-while-revalidate=300";
  const common = { ...headers, etag, "cache-control": cache };
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === etag)) return { status: 304, headers: common, body: "" };
  return { status: 200, headers: common, body: script.body };
}

/** Forget cached "current" scripts (after a publish: lib/config/changes.ts). */
export function forgetCurrentScripts(): void {
  caches().current.clear();
}

/** The scripts environments serve now, with their SRI values, for the install snippet. */
export async function liveScripts(environments: { id: string; scriptHash: string | null }[]) {
  const db = await prisma();
  const wanted = environments.filter((e) => e.scriptHash).map((e) => ({ environmentId: e.id, hash: e.scriptHash! }));
  if (!wanted.length) return new Map<string, { hash: string; integrity: string }>();
  const rows = await db.containerScript.findMany({ where: { OR: wanted }, select: { environmentId: true, hash: true, integrity: true } });
  return new Map(rows.map((r) => [r.environmentId, { hash: r.hash, integrity: r.integrity }]));
}
