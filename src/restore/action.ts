import { z } from 'zod';

import { useAgeCli, withIdentityFile } from '../backup/age.js';
import { defineAction } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { choice, content, requiredSecret, text } from '../core/inputs.js';
import { openDatabase } from '../db/dump/open.js';
import { sshPost } from '../ssh/connect.js';
import { openStorage, STORAGE_SECRET_INPUTS, storageInputs } from '../storage/inputs.js';
import { assertSafeKey } from '../storage/target.js';
import { restoreDatabase, type RestoreReport } from './run.js';

const schema = z.object({
  'database-url': requiredSecret(
    'database-url',
    'it says which database (postgres://user:pass@host:5432/db, mysql://..., sqlite:///path/app.db)',
  ),
  ...storageInputs,
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
    const { db, engine } = openDatabase(inputs['database-url'], ctx);
    if (inputs.confirm !== db.database) {
      throw new ConfigurationError(
        `input "confirm": restoring replaces the data of ${db.database}; set confirm to exactly "${db.database}" to go ahead${inputs.confirm ? ` (got ${JSON.stringify(inputs.confirm)})` : ''}. Nothing was changed.`,
      );
    }
    if (inputs.from !== 'latest') assertSafeKey(inputs.from, 'from');
    await useAgeCli(ctx, { identity: inputs['age-identity'] });
    const target = await openStorage(inputs, ctx, { encrypted: Boolean(inputs['age-identity']) });
    const report: RestoreReport = { steps: [] };
    try {
      await withIdentityFile(inputs['age-identity'], ctx, (identityFile) =>
        restoreDatabase(
          { db, engine, target, prefix: inputs.prefix ?? '', from: inputs.from, mode: inputs.mode, identityFile },
          ctx,
          report,
        ),
      );
      ctx.outputs.set('database', db.database);
    } finally {
      await target.close();
      if (report.restoredFrom) ctx.outputs.set('restored-from', report.restoredFrom);
      if (report.safetyBackup) ctx.outputs.set('safety-backup', report.safetyBackup);
      ctx.summary.heading(`deploy-kit restore: ${db.engine} ${db.database} ← ${report.restoredFrom ?? '—'}`);
      ctx.summary.table(['step', 'detail'], report.steps);
      if (report.safetyBackup) ctx.summary.line(`Safety backup taken before the restore: \`${report.safetyBackup}\``);
    }
  },
  post: sshPost,
});
