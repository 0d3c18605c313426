import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { ConfigurationError, OperationalError } from '../../core/errors.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import type { DatabaseTarget, EngineName } from '../../db/dump/url.js';
import type { Place } from '../source/place.js';
import type { FilesPath } from './inputs.js';
import { filesScripts, tarCreateArgv } from './scripts.js';
import { TarCheck } from './tar-check.js';

/** What a files backup's manifest adds: the directories, and the files and bytes the archive holds. */
export interface FilesStats {
  paths: string[];
  count: number;
  bytes: number;
}

/** A files backup in the shape of a dump engine, so the same pipeline, keys, manifest and retention apply. */
export interface FilesEngine extends DumpEngine {
  /** Counted while the archive streamed (after dump). */
  stats(): FilesStats;
  /** Names this run's `<dir>.restore-<stamp>` and `<dir>.pre-restore-<stamp>`. */
  readonly stamp: string;
}

/** The name backups are stored and matched under (manifest `engine`). */
export const FILES_ENGINE = 'files' as EngineName;

/** The stand-in for a database: the backup's name. */
export function filesTarget(name: string): DatabaseTarget {
  return { engine: FILES_ENGINE, database: name, host: '', port: 0, user: '', params: {} };
}

const notADatabase = () => {
  throw new ConfigurationError('this is a files backup: it has no database to query (verify is for database backups)');
};

/**
 * tar at `place` (the runner, or source-host over the pinned connection): create streams the
 * directories out through TarCheck; restore (`name` is the directory) streams the archive in through
 * TarCheck, extracting beside the directory as `<dir>.restore-<stamp>` (the swap is a separate step).
 */
export function filesEngine(place: Place, paths: readonly FilesPath[], exclude: readonly string[], stamp: string): FilesEngine {
  let counted: TarCheck | undefined;
  return {
    name: FILES_ENGINE,
    extension: 'tar',
    atomicRestore: true,
    stamp,
    stats: () => ({ paths: paths.map((p) => p.path), count: counted?.files ?? 0, bytes: counted?.bytes ?? 0 }),
    async checkTools() {
      const result = await place.run(['tar', '--version']);
      if (result.exitCode !== 0 || !/GNU tar/.test(result.stdout))
        throw new OperationalError(`GNU tar is not installed on ${place.label}`, 'Install it there (apt-get install -y tar).');
      return { tar: result.stdout.split('\n')[0]!.trim(), where: place.label };
    },
    async dump() {
      const check = new TarCheck(`of ${paths.map((p) => p.path).join(', ')} on ${place.label}`);
      counted = check;
      const proc = place.spawn('tar --create', tarCreateArgv(paths, exclude), {});
      proc.stdin.end();
      const flow = pipeline(proc.stdout, check).catch((error: unknown) => {
        proc.kill();
        throw error;
      });
      flow.catch(() => undefined);
      return { stdout: check, done: Promise.all([proc.done, flow]).then(() => undefined) };
    },
    async restore(_db, dir, input: Readable) {
      const check = new TarCheck(`being restored into ${dir} on ${place.label}`);
      const proc = place.spawn(`tar --extract into ${dir}.restore-${stamp}`, filesScripts.extract(dir, stamp), {});
      proc.stdout.resume();
      await Promise.all([pipeline(input, check, proc.stdin), proc.done]).catch((error: unknown) => {
        proc.kill();
        throw error;
      });
    },
    exists: async () => true,
    createDatabase: async () => undefined,
    dropDatabase: async () => undefined,
    query: notADatabase,
  };
}
