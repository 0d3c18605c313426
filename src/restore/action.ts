import { z } from 'zod';

import { useAgeCli, withIdentityFile } from '../backup/age.js';
import { filesTarget } from '../backup/files/engine.js';
import { filesName } from '../backup/files/inputs.js';
import { restoreFiles } from '../backup/files/restore.js';
import { checkSourceInputs, openSource, sourceInputs } from '../backup/source/index.js';
import { defineAction } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { choice, content, optionalText, text } from '../core/inputs.js';
import { openDatabase } from '../db/dump/open.js';
import { sourceAndTargetPost } from '../ssh/forward.js';
import { openStorage, STORAGE_SECRET_INPUTS, storageInputs } from '../storage/inputs.js';
import { assertSafeKey } from '../storage/target.js';
import { restoreDatabase, type RestoreReport } from './run.js';

const schema = z.object({
  'database-url': optionalText(),
  ...storageInputs,
  ...sourceInputs,
  from: text('latest'),
  'age-identity': content(),
  confirm: text(''),
  mode: choice(['new-database-then-swap', 'in-place'] as const, 'new-database-then-swap'),
});

export const restoreAction = defineAction({
  name: 'restore',
  schema,
  secretInputs: ['database-url', 'age-identity', ...STORAGE_SECRET_INPUTS],
  outputs: ['restored-from', 'safety-backup', 'database'],
  async run(inputs, ctx) {
    const opened = inputs['database-url'] ? openDatabase(inputs['database-url'], ctx) : undefined;
    checkSourceInputs(inputs, opened);
    if (opened?.db.engine === 'sqlite' && inputs.container)
      throw new ConfigurationError(
        'input "container": restoring a SQLite file inside a container is not supported; give the file as seen from source-host with dump-on: host, or restore with the CLI on that machine. Nothing was changed.',
      );
    const db = opened?.db ?? filesTarget(filesName(inputs));
    if (inputs.confirm !== db.database) {
      throw new ConfigurationError(
        `input "confirm": restoring replaces the data of ${db.database}; set confirm to exactly "${db.database}" to go ahead${inputs.confirm ? ` (got ${JSON.stringify(inputs.confirm)})` : ''}. Nothing was changed.`,
      );
    }
    if (inputs.from !== 'latest') assertSafeKey(inputs.from, 'from');
    // The source first: its connection keeps its own state key, the target's is the one sshPost reads.
    const source = await openSource(inputs, opened, ctx);
    const { engine } = source;
    ctx.logger.info(`source: ${source.description}`);
    await useAgeCli(ctx, { identity: inputs['age-identity'] });
    const target = await openStorage(inputs, ctx, { encrypted: Boolean(inputs['age-identity']) }).catch(async (error: unknown) => {
      await source.close();
      throw error;
    });
    const report: RestoreReport = { steps: [] };
    try {
      await withIdentityFile(inputs['age-identity'], ctx, (identityFile) =>
        source.files
          ? restoreFiles(
              {
                ...source.files,
                target,
                prefix: inputs.prefix ?? '',
                name: db.database,
                from: inputs.from,
                only: source.files.engine.stats().paths,
                identityFile,
              },
              ctx,
              report,
            )
          : restoreDatabase(
              { db: source.db, engine, target, prefix: inputs.prefix ?? '', from: inputs.from, mode: inputs.mode, identityFile },
              ctx,
              report,
            ),
      );
      ctx.outputs.set('database', db.database);
    } finally {
      await target.close();
      await source.close();
      if (report.restoredFrom) ctx.outputs.set('restored-from', report.restoredFrom);
      if (report.safetyBackup) ctx.outputs.set('safety-backup', report.safetyBackup);
      ctx.summary.heading(`deploy-kit restore: ${db.engine} ${db.database} ← ${report.restoredFrom ?? '—'}`);
      ctx.summary.table(['step', 'detail'], report.steps);
      if (report.safetyBackup) ctx.summary.line(`Safety backup taken before the restore: \`${report.safetyBackup}\``);
    }
  },
  post: sourceAndTargetPost,
});
