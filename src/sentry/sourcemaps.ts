import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { RunContext } from '../core/action.js';
import { ConfigurationError, ToolNotFoundError } from '../core/errors.js';
import { runChecked } from '../core/exec.js';
import type { SentryConfig } from './config.js';

/** The sentry-cli argv that uploads a built frontend's source maps for the release (release-based artifacts, served under `urlPrefix`). */
export function sourcemapsUploadArgv(cli: string, config: SentryConfig, dir: string, urlPrefix: string): string[] {
  return [
    cli,
    'sourcemaps',
    'upload',
    '--org',
    config.org,
    '--project',
    config.project,
    '--release',
    config.version,
    '--url-prefix',
    urlPrefix,
    dir,
  ];
}

/** The environment sentry-cli reads: the token never goes on the command line (it would show in process listings). */
export function sentryCliEnv(config: SentryConfig): Record<string, string> {
  return { SENTRY_AUTH_TOKEN: config.token, SENTRY_URL: config.baseUrl, SENTRY_LOG_LEVEL: 'warn' };
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The sentry-cli to run: the `sentry-cli` input, else the project's node_modules/.bin (the @sentry/cli package), else PATH. */
export function sentryCliCandidate(explicit: string | undefined, workspace: string): string {
  if (explicit) return explicit;
  const local = join(workspace, 'node_modules', '.bin', 'sentry-cli');
  return isFile(local) ? local : 'sentry-cli';
}

/** Uploads when a sentry-cli exists; without one the step fails naming the input and how to install it. */
export async function uploadSourcemaps(config: SentryConfig, dir: string, urlPrefix: string, cli: string, ctx: RunContext): Promise<void> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ConfigurationError(`input "sourcemaps": ${dir} is not a directory (the frontend build output)`);
  await ctx.exec.run([cli, '--version']).catch((error: unknown) => {
    if (!(error instanceof ToolNotFoundError)) throw error;
    throw new ConfigurationError(
      `input "sourcemaps": ${cli} was not found; add @sentry/cli to the project (npm install --save-dev @sentry/cli) or give its path in input "sentry-cli"`,
    );
  });
  await runChecked(ctx.exec, 'sentry-cli sourcemaps upload', sourcemapsUploadArgv(cli, config, dir, urlPrefix), {
    env: sentryCliEnv(config),
  });
  ctx.logger.info(`uploaded the source maps in ${dir} to release ${config.version}`);
}
