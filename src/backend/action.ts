import { resolve } from 'node:path';

import { z } from 'zod';

import { defineAction, type RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { parseHealthExpect } from '../core/health.js';
import { healthRouting, healthRoutingInputs } from '../core/health-host.js';
import { choice, duration, httpUrl, integer, list, optionalText, pattern, requireDirectory, text } from '../core/inputs.js';
import { lazy } from '../core/lazy.js';
import { isSafeRelativePath } from '../core/shell.js';
import { applyComposeMode, composeInputs } from '../release/compose.js';
import type { DeployConfig, DeployReport } from '../release/deploy.js';
import { lockConfig } from '../release/lock.js';
import { defaultReleaseId, isSafeReleaseId, RELEASE_ID, RELEASE_ID_TEXT } from '../release/names.js';
import { type SwarmReport, swarmServicesOutput } from '../release/swarm/config.js';
import { swarmInputs, withoutSwarm } from '../release/swarm/inputs.js';
import { switchConfig, switchInputs } from '../release/switch/inputs.js';
import { withPythonVenv } from '../release/venv.js';
import { connectionConfig, SSH_SECRET_INPUTS, sshConnectionInputs } from '../ssh/inputs.js';
import type { BackendReport } from './host.js';
import { hostedInputs, isHostedProvider, runHostedBackend } from './providers.js';
import { RENDER_SECRET_INPUTS, renderConfig, renderDeployInputs } from './render/config.js';

// Loaded once the inputs are checked, not at start-up (src/core/lazy.ts).
const deploy = lazy(() => import('../release/deploy.js'), 'deploy');
const swarmMode = lazy(() => import('../release/swarm/mode.js'), 'swarmMode');
const triggerDeployHook = lazy(() => import('./render/hook.js'), 'triggerDeployHook');
const releasePost = lazy(() => import('../release/post.js'), 'releasePost');

const schema = z.object({
  provider: choice(['ssh', 'render', 'fly', 'digitalocean'] as const, 'ssh'),
  ...sshConnectionInputs,
  ...renderDeployInputs,
  ...hostedInputs,
  ...composeInputs,
  ...swarmInputs,
  source: text('.'),
  exclude: list(),
  'shared-dirs': list(),
  'shared-files': list(),
  'keep-releases': integer(5, 2, 1000),
  'release-id': pattern(RELEASE_ID, RELEASE_ID_TEXT),
  'before-switch': optionalText(),
  'python-venv': optionalText(),
  'restart-command': optionalText(),
  'health-url': httpUrl(),
  'health-command': optionalText(),
  'health-expect': text(''),
  'health-timeout': duration('60s'),
  ...healthRoutingInputs,
  'max-parallel': integer(1, 1, 100),
  ...switchInputs,
});

type BackendInputs = z.output<typeof schema>;

/** Every check that needs no connection, so a bad input fails before anything remote happens. */
function deployConfig(inputs: BackendInputs, ctx: RunContext): DeployConfig {
  const connection = connectionConfig(inputs);
  const releaseId = inputs['release-id'] ?? defaultReleaseId(ctx.clock.now(), ctx.env.sha);
  if (!isSafeReleaseId(releaseId))
    throw new ConfigurationError(`input "release-id": expected ${RELEASE_ID_TEXT}, got ${JSON.stringify(releaseId)}`);
  const source = resolve(ctx.env.workspace, inputs.source);
  requireDirectory('source', source);
  for (const name of ['shared-dirs', 'shared-files'] as const) {
    const bad = inputs[name].find((p) => !isSafeRelativePath(p));
    if (bad !== undefined)
      throw new ConfigurationError(
        `input "${name}": expected paths relative to the release without "..", spaces or shell characters, got ${JSON.stringify(bad)}`,
      );
  }
  return {
    ...connection,
    releaseId,
    source,
    exclude: ['.git', ...inputs.exclude],
    sharedDirs: inputs['shared-dirs'],
    sharedFiles: inputs['shared-files'],
    keepReleases: inputs['keep-releases'],
    beforeSwitch: withPythonVenv(inputs['python-venv'], inputs['before-switch']),
    restartCommand: inputs['restart-command'],
    switch: switchConfig(inputs),
    health: {
      url: inputs['health-url'],
      command: inputs['health-command'],
      expect: parseHealthExpect(inputs['health-expect']),
      timeoutMs: inputs['health-timeout'],
      routing: healthRouting(inputs),
    },
    lock: lockConfig(inputs),
    maxParallel: inputs['max-parallel'],
  };
}

function writeSummary(report: DeployReport, ctx: RunContext): void {
  ctx.summary.heading(`deploy-kit backend: release ${report.release}`);
  ctx.summary.table(
    ['host', 'status', 'previous', 'upload', 'health', 'time'],
    report.hosts.map((h) => [
      h.host,
      h.error ? `${h.status}: ${h.error.split('\n')[0]}` : h.status,
      h.previous ?? '—',
      h.upload ?? '—',
      h.health.join('; ') || '—',
      `${h.seconds.toFixed(1)}s`,
    ]),
  );
}

/** backend with `provider: render`: verify → deploy → wait → outputs deploy-id, url, status and a summary. */
async function runRenderBackend(
  inputs: Parameters<typeof renderConfig>[0] & { 'deploy-hook-url'?: string },
  ctx: RunContext,
): Promise<void> {
  if (inputs['deploy-hook-url'] && !inputs.token) {
    if (inputs.commit && inputs.image) throw new ConfigurationError('inputs "commit" and "image": give one of them');
    const id = await triggerDeployHook(inputs['deploy-hook-url'], { commit: inputs.commit, image: inputs.image }, ctx);
    ctx.outputs.set('deploy-id', id);
    ctx.outputs.set('status', 'created');
    ctx.logger.warning(
      `Render deploy ${id} triggered by the deploy hook; without an API key (input "token") the step cannot wait for it to go live`,
    );
    ctx.summary
      .heading('deploy-kit backend: Render deploy hook')
      .table(['deploy', 'status'], [[id, 'triggered (not watched: no API key)']]);
    return;
  }
  const config = renderConfig(inputs, ctx);
  const { RenderHost } = await import('./render/host.js');
  const host = new RenderHost(config);
  const { url } = await host.verify(ctx);
  if (url) ctx.outputs.set('url', url);
  const report: BackendReport = {};
  try {
    await host.deploy(ctx, report);
  } finally {
    const last = report.deployment;
    if (last) ctx.outputs.set('deploy-id', last.id);
    if (last) ctx.outputs.set('status', last.status);
    ctx.summary.heading(`deploy-kit backend: Render ${inputs.service}`);
    ctx.summary.table(
      ['deploy', 'status', 'source', 'url'],
      [[last?.id ?? '—', last?.status ?? 'not started', inputs.image ?? inputs.commit ?? 'latest commit', url ?? '—']],
    );
  }
}

export const backendAction = defineAction({
  name: 'backend',
  schema,
  secretInputs: [...SSH_SECRET_INPUTS, ...RENDER_SECRET_INPUTS],
  outputs: ['release', 'previous-release', 'release-path', 'hosts', 'deploy-id', 'url', 'status', 'stack', 'services', 'machines'],
  async run(inputs, ctx) {
    if (inputs.provider === 'render') return runRenderBackend(inputs, ctx);
    if (isHostedProvider(inputs.provider)) return runHostedBackend(inputs.provider, inputs, ctx);
    const swarm: SwarmReport = {};
    const config = await swarmMode(applyComposeMode(deployConfig(inputs, ctx), withoutSwarm(inputs)), inputs, ctx, swarm);
    ctx.outputs.set('release', config.releaseId);
    ctx.outputs.set('release-path', `${config.root}/releases/${config.releaseId}`);
    const report: DeployReport = { release: config.releaseId, hosts: [] };
    try {
      await deploy(config, ctx, report);
    } finally {
      swarmServicesOutput(swarm, ctx);
      if (report.previous) ctx.outputs.set('previous-release', report.previous);
      if (report.hosts.length > 0) {
        const deployed = report.hosts.filter((h) => h.status === 'deployed');
        ctx.outputs.set('hosts', deployed.map((h) => h.host).join(','));
        writeSummary(report, ctx);
      }
    }
  },
  post: releasePost,
});
