import { OperationalError } from '../core/errors.js';
import { redactedJson, textStream } from '../core/file-sinks.js';
import type { Logger } from '../core/logger.js';
import type { StorageTarget } from '../storage/target.js';
import { readText } from '../storage/target.js';
import type { Compression } from './pipeline.js';

/** Written beside each object as `<key>.manifest.json`, after the object is complete: no manifest, no backup. */
export interface Manifest {
  version: 1;
  key: string;
  engine: string;
  database: string;
  size: number;
  sha256: string;
  compression: Compression;
  encrypted: boolean;
  created: string;
  /** In the key name; `pre-restore` marks a restore's safety backup. */
  tag?: string;
  /** Labels keep-tag matches: the `tags` input, `manual` for a run started by hand, `pre-restore`. */
  tags?: string[];
  tools: Record<string, string>;
}

export interface BackupEntry {
  key: string;
  created: Date;
  tag?: string;
}

export const MANIFEST_SUFFIX = '.manifest.json';
export const PARTIAL_SUFFIX = '.partial';

/** 2026-11-24T17:48:37.123Z → 20261124T174837Z */
export function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function directory(prefix: string, database: string): string {
  return `${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}${database}/`;
}

/** `<prefix>/<db>/<UTC yyyymmddTHHMMSSZ>[-<tag>].<dump ext>.<zst|gz>[.age]` */
export function objectKey(options: { prefix: string; database: string; created: Date; tag?: string; extension: string }): string {
  return `${directory(options.prefix, options.database)}${stamp(options.created)}${options.tag ? `-${options.tag}` : ''}.${options.extension}`;
}

const NAME = /^(\d{8}T\d{6}Z)(?:-([a-z][a-z-]*))?\./;

export function parseKeyName(key: string): { created: Date; tag?: string } | undefined {
  const match = NAME.exec(key.split('/').pop() ?? '');
  if (!match) return undefined;
  const s = match[1]!;
  const created = new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
  return Number.isNaN(created.getTime()) ? undefined : { created, tag: match[2] };
}

/**
 * Complete backups of one database (object and manifest both present), newest first: only direct
 * children of `<prefix>/<db>/`, since `app/staging/…` (database staging under prefix app) is not app's.
 */
export async function listBackups(target: StorageTarget, prefix: string, database: string): Promise<BackupEntry[]> {
  const dir = directory(prefix, database);
  const keys = new Set((await target.list(dir)).filter((key) => key.startsWith(dir) && !key.slice(dir.length).includes('/')));
  const entries: BackupEntry[] = [];
  for (const key of keys) {
    if (!key.endsWith(MANIFEST_SUFFIX)) continue;
    const objectKey = key.slice(0, -MANIFEST_SUFFIX.length);
    const parsed = parseKeyName(objectKey);
    if (parsed && keys.has(objectKey)) entries.push({ key: objectKey, ...parsed });
  }
  return entries.sort((a, b) => b.created.getTime() - a.created.getTime());
}

export async function readManifest(target: StorageTarget, key: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readText(target, `${key}${MANIFEST_SUFFIX}`);
  } catch (error) {
    throw new OperationalError(`no manifest for ${key} on ${target.label}: it is not a complete backup (${(error as Error).message})`);
  }
  const manifest = JSON.parse(text) as Manifest;
  if (manifest.version !== 1 || !/^[0-9a-f]{64}$/.test(manifest.sha256))
    throw new OperationalError(`the manifest of ${key} is not one this version understands`);
  return manifest;
}

/** Why a manifest is not one of this database's backups (a key under the wrong directory, a copied object), or undefined. */
export function manifestMismatch(manifest: Manifest, expected: { database: string; engine: string }): string | undefined {
  if (manifest.database === expected.database && manifest.engine === expected.engine) return undefined;
  return `its manifest is for ${manifest.engine} database ${manifest.database}, not ${expected.engine} database ${expected.database}`;
}

/** The manifest is a file the kit writes: its strings pass the run's redaction. */
export async function writeManifest(target: StorageTarget, manifest: Manifest, logger: Logger): Promise<void> {
  await target.put(`${manifest.key}${MANIFEST_SUFFIX}`, textStream(logger, `${redactedJson(logger, manifest, 2)}\n`));
}

export async function deleteBackup(target: StorageTarget, key: string): Promise<void> {
  // The manifest first: an object without one is no longer counted even if the second delete fails.
  await target.delete(`${key}${MANIFEST_SUFFIX}`);
  await target.delete(key);
}
