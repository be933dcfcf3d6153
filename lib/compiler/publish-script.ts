// Compiles and stores an environment's container script. Called when a version is
// published to it and when its public key changes (the key is part of the script).
import crypto from "node:crypto";
import type { Tx } from "../audit/record";
import type { Snapshot } from "../versions/snapshot";
import { compileConfig, type CompileTarget } from "./compile-config";
import { injectConfig } from "./inject";
import { runtimeBundle, tagsBundle } from "./bundle";
import { featuresOf } from "./features";

export const SCRIPT_PATH = (process.env.TAGPIPE_SCRIPT_PATH || "/c").replace(/\/$/, "");
export const COLLECT_PATH = process.env.TAGPIPE_COLLECT_PATH || "/api/collect";

/** The preview panel of one version of an environment's container, with its names (see serve.ts). */
export function previewPath(publicKey: string, version: number): string {
  return `${SCRIPT_PATH}/${publicKey}.${version}.preview.js`;
}

type Script = { body: string; hash: string; integrity: string };

function script(body: string): Script {
  return {
    body,
    hash: crypto.createHash("sha256").update(body).digest("hex"),
    integrity: `sha384-${crypto.createHash("sha384").update(body).digest("base64")}`,
  };
}

/**
 * A configuration's container script and, when it can fire pixels (a production
 * environment with browser destinations), its tags script: the container script carries
 * the tags script's immutable URL (`tagsUrl` of its SHA-256) and SRI value.
 */
export async function buildScripts(snapshot: Snapshot, target: CompileTarget, tagsUrl: (hash: string) => string): Promise<{ script: Script; tags: Script | null }> {
  let config = compileConfig(snapshot, target);
  const features = featuresOf(config);
  const tags = config[1] && config[9].length ? script(await tagsBundle(features)) : null;
  if (tags) config = compileConfig(snapshot, { ...target, tags: [tagsUrl(tags.hash), tags.integrity] });
  return { script: script(injectConfig(await runtimeBundle(features), config)), tags };
}

export function compileScript(snapshot: Snapshot, env: { publicKey: string; name: string; kind: string }, version: number, origin: string) {
  const target = { environment: env, collectUrl: `${origin}${COLLECT_PATH}`, previewUrl: `${origin}${previewPath(env.publicKey, version)}` };
  return buildScripts(snapshot, target, (hash) => `${origin}${SCRIPT_PATH}/${env.publicKey}.${hash}.js`);
}

/**
 * Builds (or finds cached) the runtime bundle a snapshot's scripts need. Called before a
 * publish opens its transaction: a feature set's first bundle takes esbuild and terser
 * ~100–250 ms, and on a loaded machine it outlasted the transaction's 5 s limit.
 */
export async function warmRuntime(snapshot: Snapshot): Promise<void> {
  const config = compileConfig(snapshot, { environment: { publicKey: "warm", name: "warm", kind: "production" }, collectUrl: "", previewUrl: "" });
  await Promise.all([runtimeBundle(featuresOf(config)), tagsBundle(featuresOf(config))]);
}

/** Compiles the environment's published version and makes it the script it serves. */
export async function publishScript(tx: Tx, environmentId: string, origin: string): Promise<{ hash: string; integrity: string } | null> {
  const env = await tx.environment.findUniqueOrThrow({ where: { id: environmentId }, include: { version: true } });
  if (!env.version) {
    await tx.environment.update({ where: { id: env.id }, data: { scriptHash: null } });
    return null;
  }
  const { script, tags } = await compileScript(env.version.snapshot as unknown as Snapshot, env, env.version.number, origin);
  // The tags script is stored like a container script of the environment: served at its
  // immutable URL (serve.ts), never as what the environment's /c/<key>.js answers.
  for (const row of tags ? [tags, script] : [script]) {
    await tx.containerScript.upsert({
      where: { environmentId_hash: { environmentId: env.id, hash: row.hash } },
      create: { teamId: env.teamId, environmentId: env.id, versionId: env.version.id, ...row },
      update: {},
    });
  }
  await tx.environment.update({ where: { id: env.id }, data: { scriptHash: script.hash } });
  return { hash: script.hash, integrity: script.integrity };
}
