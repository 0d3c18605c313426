import type { RunContext } from '../../core/action.js';
import { errorMessage, OperationalError } from '../../core/errors.js';
import type { RestoreReport } from '../../restore/run.js';
import { resolveBackup } from '../../restore/run.js';
import type { StorageTarget } from '../../storage/target.js';
import type { Manifest } from '../catalog.js';
import { checkObject, loadInto } from '../load.js';
import type { Place } from '../source/place.js';
import { FILES_ENGINE, type FilesEngine, type FilesStats, filesTarget } from './engine.js';
import { filesScripts } from './scripts.js';

export interface FilesManifest extends Manifest {
  files: FilesStats;
}

/**
 * sha256 check → each directory extracted beside itself as `<dir>.restore-<stamp>` → only when all
 * are complete, each swapped in with renames, the old one kept as `<dir>.pre-restore-<stamp>` (the
 * safety copy). A failure before the swaps removes the extracted copies and changes nothing.
 */
export async function restoreFiles(
  options: {
    engine: FilesEngine;
    place: Place;
    target: StorageTarget;
    prefix: string;
    name: string;
    from: string;
    only: readonly string[];
    identityFile?: string;
  },
  ctx: RunContext,
  report: RestoreReport,
): Promise<void> {
  const { engine, place, target } = options;
  const { stamp } = engine;
  const db = filesTarget(options.name);
  const manifest = (await resolveBackup(target, options.prefix, db, FILES_ENGINE, options.from)) as FilesManifest;
  report.restoredFrom = manifest.key;
  if (manifest.encrypted && !options.identityFile) throw new OperationalError(`${manifest.key} is encrypted with age: give age-identity`);
  const stored = manifest.files?.paths ?? [];
  const unknown = options.only.filter((p) => !stored.includes(p));
  if (unknown.length > 0)
    throw new OperationalError(
      `${manifest.key} holds ${stored.join(', ')}, not ${unknown.join(', ')}`,
      'Leave paths empty to restore what the backup holds.',
    );
  const dirs = options.only.length > 0 ? [...options.only] : stored;
  await ctx.logger.group('check tools', () => engine.checkTools(db, ctx));
  await ctx.logger.group('check sha256', () => checkObject(target, manifest));
  report.steps.push(['sha256 matches the manifest', manifest.sha256]);
  const extracted: string[] = [];
  try {
    for (const dir of dirs) {
      await ctx.logger.group(`extract into ${dir}.restore-${stamp} on ${place.label}`, () =>
        loadInto({ target, manifest, engine, db, name: dir, clean: false, identityFile: options.identityFile }, ctx),
      );
      extracted.push(dir);
    }
  } catch (error) {
    for (const dir of [...extracted, ...dirs.slice(extracted.length, extracted.length + 1)]) {
      const result = await place.run(filesScripts.discard(dir, stamp));
      if (result.exitCode !== 0) ctx.logger.warning(`could not remove ${dir}.restore-${stamp}: ${result.stderr.trim()}`);
    }
    throw new OperationalError(`restoring ${manifest.key} failed: ${errorMessage(error)}\nNo directory was changed.`);
  }
  for (const dir of dirs) {
    const result = await place.run(filesScripts.swap(dir, stamp));
    if (result.exitCode !== 0)
      throw new OperationalError(
        `swapping ${dir}.restore-${stamp} into ${dir} on ${place.label} failed: ${result.stderr.trim()}`,
        `The restored copy is ${dir}.restore-${stamp} and the previous directory ${dir}.pre-restore-${stamp} (if it was moved): rename them by hand.`,
      );
    report.steps.push([
      'restored and swapped',
      `${dir}; the previous one is kept as ${dir}.pre-restore-${stamp} (remove it when satisfied)`,
    ]);
  }
  report.safetyBackup = dirs.map((dir) => `${dir}.pre-restore-${stamp}`).join(', ');
}
