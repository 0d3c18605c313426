import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';

import { type Logger, redactFor } from './logger.js';

/**
 * Files the kit writes are sinks like the log: history.jsonl and the lock record on a host, backup
 * manifests, bake files, the SQLite migration lock. Their text passes the run's one redaction on the
 * way out. The exceptions are the files whose purpose is to hold a secret for a tool (SSH keys,
 * known_hosts, age identities, registry auth, build secrets): written 0600 in a private directory
 * and removed after the run, never anything else.
 */

/** A value with every string in it (object keys too) redacted, ready for JSON.stringify: the JSON stays valid. */
export function redactValues<T>(logger: Logger, value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactFor(logger, v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactFor(logger, k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** JSON text of a value whose strings are redacted (a record written to a file or a host). */
export function redactedJson(logger: Logger, value: unknown, indent?: number): string {
  return JSON.stringify(redactValues(logger, value), null, indent);
}

/** Writes text the kit composed to a file, redacted. */
export function writeTextFile(logger: Logger, path: string, text: string, mode?: number): void {
  writeFileSync(path, redactFor(logger, text), mode === undefined ? undefined : { mode });
}

/** Text the kit composed as a stream for a storage target (a backup manifest), redacted. */
export function textStream(logger: Logger, text: string): Readable {
  return Readable.from([Buffer.from(redactFor(logger, text))]);
}
