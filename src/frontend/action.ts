import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

import { defineAction, type RunContext } from '../core/action.js';
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { runChecked } from '../core/exec.js';
import { annotate } from '../core/logger.js';
import { missingSecret } from '../core/missing-secret.js';
import { githubApi, parseRepository } from '../github/client.js';
import { stickyMarker, upsertStickyComment } from '../github/comments.js';
import { createDeployment, setDeploymentStatus } from '../github/deployments.js';
import { digestFiles, listSite } from '../providers/files.js';
import type { FrontendHost, PublishReport } from '../providers/host.js';
import { frontendProvider } from '../providers/registry.js';
import { sshPost } from '../ssh/connect.js';
import { chooseTarget, type PublishEvent, readEvent } from './event.js';
import { FRONTEND_SECRET_INPUTS, type FrontendInputs, frontendSchema } from './inputs.js';
import { commentBody, type PublishOutcome, writeSummary } from './report.js';

/**
 * No token: on a fork PR (or Dependabot's) that is GitHub withholding secrets, which the message
 * explains. `auto` skips a pull request's preview visibly (a notice and the summary) and fails
 * anything else; `skip` and `fail` always do that.
 */
function missingToken(host: FrontendHost, event: PublishEvent, inputs: FrontendInputs, ctx: RunContext): void {
  const why = event.fromFork
    ? `pull request #${event.pullRequest} comes from a fork, and GitHub does not pass repository secrets to workflows run for pull requests from forks, so "token" is empty`
    : ctx.env.actor === 'dependabot[bot]'
      ? `this run was triggered by Dependabot, and GitHub passes Dependabot runs only Dependabot secrets, so "token" is empty (add it under Settings → Secrets → Dependabot to publish its previews)`
      : missingSecret('token', `provider ${host.provider} needs an API token`).message;
  const mode = inputs['on-missing-credentials'];
  if (mode === 'skip' || (mode === 'auto' && event.pullRequest !== undefined)) {
    ctx.outputs.set('skipped', 'true');
    annotate(ctx.logger, 'notice', `frontend: preview not published: ${why}`);
    ctx.summary.heading(`deploy-kit frontend: ${host.provider} ${host.site} skipped`);
    ctx.summary.line(`⚠️ Not published: ${why} (on-missing-credentials: ${mode}).`);
    return;
  }
  throw new ConfigurationError(`${why}. Nothing was published. Set on-missing-credentials: skip to skip this step visibly instead.`);
}

async function build(command: string, ctx: RunContext): Promise<void> {
  await ctx.logger.group('build-command', () =>
    runChecked(ctx.exec, 'build-command', ['bash', '-eo', 'pipefail', '-c', command], { cwd: ctx.env.workspace }),
  );
}

export const frontendAction = defineAction({
  name: 'frontend',
  schema: frontendSchema,
  secretInputs: FRONTEND_SECRET_INPUTS,
  outputs: ['url', 'deployment-id', 'provider-deployment-id', 'files-uploaded', 'files-total', 'skipped'],
  async run(inputs, ctx) {
    const provider = frontendProvider(inputs.provider);
    const host = provider.host(inputs);
    const event = readEvent(ctx.env);
    const target = chooseTarget(inputs.environment, event);
    const dir = resolve(ctx.env.workspace, inputs.dir);
    if (provider.needsToken && !inputs.token) return missingToken(host, event, inputs, ctx);
    ctx.outputs.set('skipped', 'false');
    if (inputs['build-command']) await build(inputs['build-command'], ctx);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new ConfigurationError(`input "dir": ${dir} is not a directory (build the site first, or set build-command)`);
    const paths = await listSite(dir);
    if (paths.length === 0) throw new ConfigurationError(`input "dir": ${dir} has no files to publish`);
    const files = host.needsDigests ? await digestFiles(dir, paths) : [];
    const progress: PublishReport = { filesTotal: paths.length };
    ctx.outputs.set('files-total', String(paths.length));
    ctx.logger.info(`frontend: publishing ${paths.length} files from ${inputs.dir} to ${host.provider} ${host.site} as ${target}`);

    const github = inputs['github-token']
      ? { api: githubApi(ctx, inputs['github-token']), repo: parseRepository(ctx.env.repository) }
      : undefined;
    if (!github && (inputs.deployment || (inputs.comment && event.pullRequest)))
      ctx.logger.info('frontend: no github-token given, so no GitHub deployment or PR comment');
    let deploymentId: number | undefined;
    if (github && inputs.deployment) {
      deploymentId = await createDeployment(github.api, github.repo, {
        ref: event.sha,
        environment: target,
        production: target === 'production',
        description: `${host.provider} ${host.site}`,
      });
      ctx.outputs.set('deployment-id', String(deploymentId));
      await setDeploymentStatus(github.api, github.repo, deploymentId, {
        state: 'in_progress',
        environment: target,
        logUrl: ctx.env.runUrl,
      });
    }
    const outcome: PublishOutcome = { provider: host.provider, site: host.site, target, sha: event.sha, progress };
    const finish = async () => {
      if (progress.url) ctx.outputs.set('url', progress.aliasUrl ?? progress.url);
      if (progress.providerDeploymentId) ctx.outputs.set('provider-deployment-id', progress.providerDeploymentId);
      if (progress.filesUploaded !== undefined) ctx.outputs.set('files-uploaded', String(progress.filesUploaded));
      writeSummary(outcome, ctx);
      if (!github) return;
      if (deploymentId !== undefined) {
        await setDeploymentStatus(github.api, github.repo, deploymentId, {
          state: outcome.error ? 'failure' : 'success',
          environment: target,
          logUrl: ctx.env.runUrl,
          environmentUrl: outcome.error ? undefined : (progress.aliasUrl ?? progress.url),
          description: outcome.error ?? `${host.provider} ${progress.providerDeploymentId ?? ''}`.trim(),
        });
      }
      if (inputs.comment && event.pullRequest !== undefined) {
        const marker = stickyMarker('frontend', host.provider, host.site);
        const comment = await upsertStickyComment(github.api, github.repo, event.pullRequest, marker, commentBody(outcome, ctx));
        ctx.logger.info(`frontend: ${comment.created ? 'created' : 'updated'} the PR comment ${comment.id}`);
      }
    };
    try {
      await host.publish(
        {
          dir,
          files,
          target,
          branch: event.branch,
          sha: event.sha,
          title: `${ctx.env.repository}@${event.sha.slice(0, 7)}`,
          timeoutMs: inputs.timeout,
          alias: inputs.alias,
        },
        ctx,
        progress,
      );
    } catch (error) {
      outcome.error = errorMessage(error);
      await finish().catch((reportError: unknown) =>
        ctx.logger.warning(`frontend: could not report the failure to GitHub: ${errorMessage(reportError)}`),
      );
      throw error;
    }
    await finish();
  },
  post: sshPost,
});
