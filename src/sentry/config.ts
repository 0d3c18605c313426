import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { bool, choice, httpUrl, optionalText, pattern, requiredSecret, text } from '../core/inputs.js';

/**
 * Sentry releases through the REST API (https://sentry.io/api/0, or a self-hosted `sentry-url`):
 * create the release with its commits, finalize it, record a deploy per environment.
 */

const SLUG = /^[a-z0-9][a-z0-9_-]{0,49}$/;
/** Sentry's own rule for release versions: no slashes, backslashes or whitespace, not `.`, `..` or `latest`, at most 200 characters. */
const VERSION = /^(?!\.{1,2}$)(?!latest$)[^\s/\\]{1,200}$/;

export const sentryInputs = {
  'sentry-org': pattern(SLUG, 'the Sentry organization slug'),
  'sentry-project': pattern(SLUG, 'the Sentry project slug'),
  'sentry-token': requiredSecret('sentry-token', 'Sentry needs an auth token with project:releases (and org:read)'),
  'sentry-url': httpUrl(),
  'sentry-environment': text('production'),
  step: choice(['release', 'deploy', 'all'] as const, 'all'),
  version: pattern(VERSION, 'a Sentry release version (no slashes or whitespace, not "latest", at most 200 characters)'),
  'project-prefix': bool(false),
  repository: pattern(/^[\w.-]+\/[\w.-]+$/, 'the repository as Sentry knows it, owner/name'),
  commit: pattern(/^[0-9a-f]{7,40}$/, 'a git commit sha'),
  'previous-commit': pattern(/^[0-9a-f]{7,40}$/, 'a git commit sha'),
  sourcemaps: optionalText(),
  'url-prefix': text('~/'),
  'sentry-cli': optionalText(),
};

export interface SentryConfig {
  baseUrl: string;
  apiUrl: string;
  token: string;
  org: string;
  project: string;
  environment: string;
  version: string;
  repository: string;
  commit: string;
  previousCommit?: string;
}

export function sentryConfig(
  inputs: {
    'sentry-org'?: string;
    'sentry-project'?: string;
    'sentry-token': string;
    'sentry-url'?: string;
    'sentry-environment': string;
    version?: string;
    'project-prefix': boolean;
    repository?: string;
    commit?: string;
    'previous-commit'?: string;
  },
  ctx: RunContext,
): SentryConfig {
  const org = inputs['sentry-org'];
  const project = inputs['sentry-project'];
  if (!org) throw new ConfigurationError('input "sentry-org": expected the organization slug (sentry.io/organizations/<slug>/)');
  if (!project) throw new ConfigurationError('input "sentry-project": expected the project slug the release belongs to');
  const commit = inputs.commit ?? ctx.env.sha;
  const version = inputs.version ?? commit.slice(0, 7);
  const baseUrl = (inputs['sentry-url'] ?? 'https://sentry.io').replace(/\/+$/, '');
  return {
    baseUrl,
    apiUrl: `${baseUrl}/api/0`,
    token: inputs['sentry-token'],
    org,
    project,
    environment: inputs['sentry-environment'],
    version: inputs['project-prefix'] ? `${project}@${version}` : version,
    repository: inputs.repository ?? ctx.env.repository,
    commit,
    previousCommit: inputs['previous-commit'],
  };
}
