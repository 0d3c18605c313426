import { z } from 'zod';

import { defineAction, type RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { bool, choice, content, httpUrl, list, optionalText, text } from '../core/inputs.js';
import { openDatabase } from '../db/dump/open.js';
import { isEmptyPolicy, type RetentionPolicy } from '../db/retention.js';
import { sourceAndTargetPost } from '../ssh/forward.js';
import { openStorage, STORAGE_SECRET_INPUTS, storageInputs } from '../storage/inputs.js';
import { checkRecipients, useAgeCli, withIdentityFile } from './age.js';
import type { Manifest } from './catalog.js';
import { sendHeartbeat } from './heartbeat.js';
import { policyFromInputs, policyReachDays, retentionInputs, tagList } from './policy.js';
import { retain, type RetentionReport } from './retain.js';
import { takeBackup } from './run.js';
import { checkSourceInputs, openSource, sourceInputs } from './source/index.js';
import { chooseVerify, runVerify, type VerifyChoice, type VerifyReport } from './verify.js';

const schema = z.object({
  'database-url': optionalText(),
  ...storageInputs,
  ...sourceInputs,
  compression: choice(['zstd', 'gzip'] as const, 'zstd'),
  'age-recipients': list(),
  'age-identity': content(),
  tags: tagList(),
  ...retentionInputs,
  prune: bool(true),
  'dry-run': bool(false),
  verify: choice(['false', 'true', 'scratch', 'server'] as const, 'false'),
  'verify-query': text('SELECT 1'),
  'heartbeat-url': httpUrl(),
  'heartbeat-fail-url': httpUrl(),
});

/** GitHub deletes artifacts after their retention days; a policy reaching further back cannot be kept. */
function warnOfExpiry(policy: RetentionPolicy, retentionDays: number, ctx: RunContext): void {
  const days = retentionDays || 90;
  const reach = policyReachDays(policy);
  if (reach > days) {
    ctx.logger.warning(
      `target artifact: GitHub deletes each artifact after ${days} days${retentionDays ? '' : ' (the default; the repository may set another)'}, but the keep-* policy asks for ${Number.isFinite(reach) ? `about ${Math.ceil(reach)} days` : 'unlimited'} of backups; older ones will be gone. Use s3 or ssh for long retention.`,
    );
  }
}

export const backupAction = defineAction({
  name: 'backup',
  schema,
  secretInputs: ['database-url', 'age-identity', 'heartbeat-url', 'heartbeat-fail-url', ...STORAGE_SECRET_INPUTS],
  outputs: ['key', 'size', 'sha256', 'deleted'],
  async run(inputs, ctx) {
    const opened = inputs['database-url'] ? openDatabase(inputs['database-url'], ctx) : undefined;
    checkSourceInputs(inputs, opened);
    const verify = inputs.verify === 'false' ? undefined : inputs.verify;
    if (!opened && verify) throw new ConfigurationError('input "verify": a files backup (paths) has no database to restore and query');
    checkRecipients(inputs['age-recipients']);
    await useAgeCli(ctx, { recipients: inputs['age-recipients'], identity: inputs['age-identity'] });
    const policy = policyFromInputs(inputs);
    // A backup someone started by hand (workflow_dispatch or the CLI) says so, for keep-tag: manual.
    const tags = [...inputs.tags, ...(['workflow_dispatch', 'cli'].includes(ctx.env.eventName) ? ['manual'] : [])];
    if (inputs.prune && isEmptyPolicy(policy)) {
      throw new ConfigurationError(
        'inputs "keep-*": every keep-* is 0 or empty, which would delete every backup but the newest; set at least one, or prune: false to keep everything',
      );
    }
    if (inputs.target === 'artifact') warnOfExpiry(policy, inputs['retention-days'], ctx);
    const encrypted = inputs['age-recipients'].length > 0;
    if (verify && encrypted && !inputs['age-identity']) {
      throw new ConfigurationError('input "age-identity": verify with age-recipients needs the matching identity to read the backup back');
    }
    // The source first: its connection keeps its own state key, the target's is the one sshPost reads.
    const source = await openSource(inputs, opened, ctx);
    const { db, engine } = source;
    ctx.logger.info(`source: ${source.description}`);
    const target = await openStorage(inputs, ctx, { encrypted }).catch(async (error: unknown) => {
      await source.close();
      throw error;
    });
    const prefix = inputs.prefix ?? '';
    let manifest: Manifest | undefined;
    let report: RetentionReport | undefined;
    let verified = verify ? 'failed' : 'not asked';
    let checked: VerifyReport | undefined;
    try {
      // The tool and server checks run alongside the dump (started right after it); nothing is stored unless they pass.
      let tools: Record<string, string> | (() => Promise<Record<string, string>>) = () => engine.checkTools(db, ctx);
      // Before the dump: an explicit `verify: scratch` the runner cannot do fails here.
      let where: VerifyChoice | undefined;
      if (verify) {
        tools = await ctx.logger.group('check tools', () => engine.checkTools(db, ctx));
        where = await chooseVerify(verify, engine.name, tools, ctx);
      }
      manifest = await ctx.logger.group('backup', () =>
        takeBackup(
          {
            db,
            engine,
            target,
            prefix,
            compression: inputs.compression,
            recipients: inputs['age-recipients'],
            tags,
            tools,
            manifestExtra: source.manifestExtra,
          },
          ctx,
        ),
      );
      ctx.outputs.set('key', manifest.key);
      ctx.outputs.set('size', String(manifest.size));
      ctx.outputs.set('sha256', manifest.sha256);
      if (where) {
        const stored = manifest;
        const choice = where;
        checked = await ctx.logger.group(`verify (${choice.mode})`, () =>
          withIdentityFile(inputs['age-identity'], ctx, (identityFile) =>
            runVerify(
              choice,
              {
                db,
                engine: choice.mode === 'scratch' ? (source.runnerEngine ?? engine) : engine,
                target,
                manifest: stored,
                query: inputs['verify-query'],
                identityFile,
              },
              ctx,
            ),
          ),
        );
        verified = `yes: ${checked.where}`;
      }
      if (inputs.prune) {
        report = await ctx.logger.group('retention', () =>
          retain({ target, prefix, database: db.database, engine: engine.name, policy, dryRun: inputs['dry-run'] }, ctx),
        );
      }
      ctx.outputs.set('deleted', JSON.stringify(report?.deleted ?? []));
      await sendHeartbeat(inputs['heartbeat-url'], 'success', ctx);
    } catch (error) {
      await sendHeartbeat(inputs['heartbeat-fail-url'], 'failure', ctx);
      throw error;
    } finally {
      await target.close();
      await source.close();
      ctx.summary.heading(`deploy-kit backup: ${db.engine} ${db.database}`);
      if (manifest) {
        ctx.summary.table(
          ['key', 'size', 'sha256', 'encrypted', 'verified'],
          [[manifest.key, String(manifest.size), manifest.sha256, manifest.encrypted ? 'yes' : 'no', verified]],
        );
      } else {
        ctx.summary.line('No backup was stored.');
      }
      if (checked) {
        ctx.summary.line(`Restored copy: verify-query returned \`${checked.result}\`; rows per table:`);
        ctx.summary.table(['table', 'rows'], checked.counts.length ? checked.counts : [['(no tables)', '0']]);
      }
      if (report)
        ctx.summary.table(
          ['backup', 'created (UTC)', 'retention', 'why'],
          report.rows.map((r) => [r.key, r.created, r.decision, r.why]),
        );
    }
  },
  post: sourceAndTargetPost,
});
