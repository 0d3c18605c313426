import { readFileSync } from 'node:fs';

import type { RunContext } from '../core/action.js';
import { OperationalError } from '../core/errors.js';
import type { DumpEngine } from '../db/dump/engine.js';
import type { DatabaseTarget } from '../db/dump/url.js';
import type { StorageTarget } from '../storage/target.js';
import { useAgeCli } from './age.js';
import type { Manifest } from './catalog.js';
import { hashStream, openStream } from './pipeline.js';

/** Reads the whole object once and compares it with its manifest; nothing is restored from a corrupt object. */
export async function checkObject(target: StorageTarget, manifest: Manifest): Promise<void> {
  const actual = await hashStream(await target.get(manifest.key));
  if (actual.sha256 !== manifest.sha256 || actual.size !== manifest.size) {
    throw new OperationalError(
      `${manifest.key} on ${target.label} does not match its manifest: sha256 ${actual.sha256} (${actual.size} bytes), expected ${manifest.sha256} (${manifest.size} bytes). The object is corrupt or was changed; nothing was restored.`,
      'Restore an older backup (from: <key>) or check the storage.',
    );
  }
}

/** Streams a stored backup into database `name`: object → sha256 → age -d → decompress → restore tool. */
export async function loadInto(
  options: {
    target: StorageTarget;
    manifest: Manifest;
    engine: DumpEngine;
    db: DatabaseTarget;
    name: string;
    clean: boolean;
    /** Skip GRANTs (a scratch server has none of the roles they name). */
    noPrivileges?: boolean;
    identityFile?: string;
  },
  ctx: RunContext,
): Promise<void> {
  const { manifest } = options;
  if (manifest.encrypted && !options.identityFile)
    throw new OperationalError(`${manifest.key} is encrypted: give age-identity to restore it`);
  const identityFile = manifest.encrypted ? options.identityFile : undefined;
  const ageCli = identityFile ? await useAgeCli(ctx, { identity: readFileSync(identityFile, 'utf8') }) : false;
  const opened = openStream(await options.target.get(manifest.key), { compression: manifest.compression, identityFile, ageCli });
  const [read, restored] = await Promise.allSettled([
    opened.done,
    options.engine
      .restore(options.db, options.name, opened.output, { clean: options.clean, noPrivileges: options.noPrivileges }, ctx)
      .catch((error) => {
        opened.output.destroy();
        throw error;
      }),
  ]);
  // A failed decryption or download explains the restore tool's "unexpected end of input", so it is reported first.
  if (read.status === 'rejected') throw read.reason;
  if (restored.status === 'rejected') throw restored.reason;
  if (opened.digest.sha256 !== manifest.sha256)
    throw new OperationalError(`${manifest.key} changed while it was read: sha256 ${opened.digest.sha256}, expected ${manifest.sha256}`);
}
