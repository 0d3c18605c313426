import { resolve } from 'node:path';

import { z } from 'zod';

import { defineAction } from '../core/action.js';
import { maskSecret } from '../core/logger.js';
import { sentryConfig, sentryInputs } from './config.js';
import { SentryReleases } from './releases.js';
import { sentryCliCandidate, uploadSourcemaps } from './sourcemaps.js';

const schema = z.object(sentryInputs);

/**
 * sentry: `step: release` creates the release with its commits, uploads source maps (optional) and
 * finalizes it; `step: deploy` records a deploy of an existing release (after a rollout, or of the
 * release a rollback returned to); `all` does both, after a successful rollout.
 */
export const sentryAction = defineAction({
  name: 'sentry',
  schema,
  secretInputs: ['sentry-token'],
  outputs: ['version', 'url', 'deploy-id'],
  async run(inputs, ctx) {
    const config = sentryConfig(inputs, ctx);
    maskSecret(ctx.logger, config.token);
    const sourcemaps = inputs.sourcemaps ? resolve(ctx.env.workspace, inputs.sourcemaps) : undefined;
    ctx.outputs.set('version', config.version);
    const releases = new SentryReleases(config, ctx);
    ctx.outputs.set('url', releases.releaseUrl);
    const rows: string[][] = [];
    const started = new Date(ctx.clock.now());
    try {
      if (inputs.step !== 'deploy') {
        const made = await releases.create();
        rows.push([
          'release',
          `${made.created ? 'created' : 'existed'}${made.commits ? `, commits up to ${config.commit.slice(0, 7)}` : ', without commits'}`,
        ]);
        if (sourcemaps) {
          await uploadSourcemaps(
            config,
            sourcemaps,
            inputs['url-prefix'],
            sentryCliCandidate(inputs['sentry-cli'], ctx.env.workspace),
            ctx,
          );
          rows.push(['source maps', sourcemaps]);
        }
        await releases.finalize(new Date(ctx.clock.now()));
        rows.push(['finalized', 'yes']);
      }
      if (inputs.step !== 'release') {
        const id = await releases.deploy(started, new Date(ctx.clock.now()), ctx.env.runUrl);
        ctx.outputs.set('deploy-id', id);
        rows.push(['deploy', `${id} to ${config.environment}`]);
      }
    } finally {
      ctx.summary.heading(`deploy-kit sentry: ${config.version}`);
      ctx.summary.table(['step', 'result'], rows.length > 0 ? rows : [['—', 'nothing done']]);
    }
  },
});
