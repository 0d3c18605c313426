import { z } from 'zod';

import { digitalOceanAppInputs } from '../backend/digitalocean/config.js';
import { flyInputs } from '../backend/fly/config.js';
import type { BackendReport } from '../backend/host.js';
import { RENDER_SECRET_INPUTS, renderConfig, renderConnectionInputs } from '../backend/render/config.js';
import { defineAction, type RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { parseHealthExpect } from '../core/health.js';
import { healthRouting, healthRoutingInputs } from '../core/health-host.js';
import { choice, duration, httpUrl, integer, optionalText, text } from '../core/inputs.js';
import { lazy } from '../core/lazy.js';
import { isSafeReleaseId, RELEASE_ID_TEXT } from '../release/names.js';
import type { RollbackReport } from '../release/rollback.js';
import { rollbackConfig, rollbackInputs } from '../release/rollback-config.js';
import { type SwarmReport, swarmServicesOutput } from '../release/swarm/config.js';
import { swarmRollbackInputs, withoutSwarm } from '../release/swarm/inputs.js';
import { SSH_SECRET_INPUTS } from '../ssh/inputs.js';

// Loaded once the inputs are checked, not at start-up (src/core/lazy.ts).
const rollback = lazy(() => import('../release/rollback.js'), 'rollback');
const swarmMode = lazy(() => import('../release/swarm/mode.js'), 'swarmMode');
const rollbackFrontend = lazy(() => import('../providers/rollback.js'), 'rollbackFrontend');
const releasePost = lazy(() => import('../release/post.js'), 'releasePost');

const schema = z.object({
  provider: choice(['ssh', 'render', 'fly', 'digitalocean', 'vercel', 'netlify'] as const, 'ssh'),
  ...rollbackInputs,
  ...swarmRollbackInputs,
  ...renderConnectionInputs,
  ...flyInputs,
  ...digitalOceanAppInputs,
  'max-parallel': integer(1, 1, 100),
  project: optionalText(),
  team: optionalText(),
  site: optionalText(),
  to: text('previous'),
  'health-url': httpUrl(),
  'health-expect': text(''),
  'health-timeout': duration('60s'),
  ...healthRoutingInputs,
});

/** rollback with `provider: render`: outputs release (the deploy rolled back to) and previous-release. */
async function runRenderRollback(inputs: Parameters<typeof renderConfig>[0] & { to: string }, ctx: RunContext): Promise<void> {
  const config = renderConfig(inputs, ctx);
  const { RenderHost } = await import('../backend/render/host.js');
  const host = new RenderHost(config);
  await host.verify(ctx);
  const report: BackendReport = {};
  try {
    await host.rollback(inputs.to, ctx, report);
  } finally {
    const { deployment: last, from: resolved } = report;
    if (resolved?.current) ctx.outputs.set('previous-release', resolved.current);
    if (resolved) ctx.outputs.set('release', resolved.target);
    if (last) ctx.outputs.set('deploy-id', last.id);
    if (last) ctx.outputs.set('status', last.status);
    ctx.summary.heading(`deploy-kit rollback: Render ${inputs.service}`);
    ctx.summary.table(
      ['from', 'to', 'rollback deploy', 'status'],
      [[resolved?.current ?? '—', resolved?.target ?? inputs.to, last?.id ?? '—', last?.status ?? 'not started']],
    );
  }
}

export const rollbackAction = defineAction({
  name: 'rollback',
  schema,
  secretInputs: [...SSH_SECRET_INPUTS, ...RENDER_SECRET_INPUTS],
  outputs: ['release', 'previous-release', 'deploy-id', 'status', 'stack', 'services', 'machines'],
  async run(inputs, ctx) {
    if (inputs.provider === 'render') return runRenderRollback(inputs, ctx);
    if (inputs.provider !== 'ssh') {
      const { isHostedProvider, runHostedBackendRollback } = await import('../backend/providers.js');
      if (isHostedProvider(inputs.provider)) return runHostedBackendRollback(inputs.provider, inputs, ctx);
      return rollbackFrontend(inputs.provider, inputs, ctx);
    }
    if (inputs.to !== 'previous' && !isSafeReleaseId(inputs.to)) {
      throw new ConfigurationError(`input "to": expected "previous" or ${RELEASE_ID_TEXT}, got ${JSON.stringify(inputs.to)}`);
    }
    const health = {
      url: inputs['health-url'],
      expect: parseHealthExpect(inputs['health-expect']),
      timeoutMs: inputs['health-timeout'],
      routing: healthRouting(inputs),
    };
    const swarm: SwarmReport = {};
    const config = await swarmMode(rollbackConfig(withoutSwarm(inputs), inputs.to, health), inputs, ctx, swarm);
    const report: RollbackReport = { hosts: [] };
    try {
      await rollback(config, ctx, report);
    } finally {
      swarmServicesOutput(swarm, ctx);
      if (report.release) ctx.outputs.set('release', report.release);
      if (report.previous) ctx.outputs.set('previous-release', report.previous);
      ctx.summary.heading(`deploy-kit rollback: ${report.previous ?? '—'} → ${report.release ?? '—'}`);
      ctx.summary.table(
        ['host', 'from', 'to', 'status', 'health'],
        report.hosts.map((h) => [h.host, h.from ?? '—', h.to ?? '—', h.status, h.health.join('; ') || '—']),
      );
    }
  },
  post: releasePost,
});
