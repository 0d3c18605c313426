import { posix } from 'node:path';

import type { RunContext } from '../../core/action.js';
import { ConfigurationError } from '../../core/errors.js';
import { choice, optionalText, pattern } from '../../core/inputs.js';
import { missingSecret } from '../../core/missing-secret.js';
import { isSafeRemotePath } from '../../core/shell.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import { isRelativeSqliteUrl } from '../../db/url.js';
import { composeProject } from '../../release/compose-project.js';
import { openSourceSession, parseSourceHost, type SourceSession } from '../../ssh/forward.js';
import { connectionConfig, type SshConnectionInputs } from '../../ssh/inputs.js';
import type { FilesEngine } from '../files/engine.js';
import { type FilesInputs, filesInputs } from '../files/inputs.js';
import type { Place } from './place.js';

/** `name` or `compose:<service>`. */
const CONTAINER = /^(?:compose:)?[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Where the data lives; the SSH inputs (ssh-key, known-hosts, host-fingerprint, jump-host, user) are the target's. */
export const sourceInputs = {
  'source-host': optionalText(),
  'dump-on': choice(['runner', 'host'] as const, 'runner'),
  container: pattern(CONTAINER, 'a container name, or compose:<service> (letters, digits, "_", "." and "-")'),
  'compose-project': pattern(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a compose project name of lower-case letters, digits, "_" and "-"'),
  'deploy-path': optionalText(),
  ...filesInputs,
};

export type SourceSshInputs = Omit<SshConnectionInputs, 'transport' | 'hosts' | 'path'>;

export interface SourceInputs extends SourceSshInputs, FilesInputs {
  'source-host'?: string;
  'dump-on': 'runner' | 'host';
  container?: string;
  'compose-project'?: string;
  /** The deploy `path` given to backend: its compose project is the one of `container: compose:<service>` when compose-project is empty. */
  'deploy-path'?: string;
  'database-url'?: string;
}

/** The database as this run reaches it, the engine whose tools do the work, and what to close afterwards. */
export interface DataSource {
  db: DatabaseTarget;
  engine: DumpEngine;
  /** The runner's own engine when `engine` runs elsewhere (a host, a container): verify: scratch restores with it into a server on the runner. */
  runnerEngine?: DumpEngine;
  /** Says where the tools run and how they reach the database, for the log and summary. */
  description: string;
  session?: SourceSession;
  /** A files backup (paths, no database-url): its engine and where tar runs. */
  files?: { engine: FilesEngine; place: Place };
  /** Manifest fields known after the dump (a files backup's directories, file count and bytes). */
  manifestExtra?: () => Record<string, unknown>;
  close(): Promise<void>;
}

/** Checks source-host, dump-on and paths together, before anything connects; `database` is whether database-url is set. */
export function checkSourceInputs(inputs: SourceInputs, database: unknown): void {
  if (!database && inputs.paths.length === 0)
    throw missingSecret(
      'database-url',
      'it says which database (postgres://..., mysql://..., sqlite:///path); or give paths for a files backup',
    );
  if (database && inputs.paths.length > 0)
    throw new ConfigurationError(
      'input "paths": a step backs up either a database (database-url) or files (paths); use two steps for both',
    );
  const compose = inputs.container?.startsWith('compose:');
  if (compose && !inputs['compose-project'] && !inputs['deploy-path'])
    throw new ConfigurationError(
      'input "compose-project": container: compose:<service> needs the compose project the service belongs to; set compose-project or deploy-path (the deploy\'s path, whose project mode: compose uses)',
    );
  if (inputs['deploy-path'] !== undefined) checkDeployPath(inputs['deploy-path'], compose);
  if (inputs.container && !database)
    throw new ConfigurationError('input "container": only for database backups (files backups read paths on the host)');
  if (database && inputs.name)
    throw new ConfigurationError('input "name": only for files backups (paths); a database backup is named by its database');
  if (inputs['dump-on'] === 'host' && !inputs['source-host'])
    throw new ConfigurationError('input "dump-on": host runs the dump tool on source-host; set source-host ([user@]host[:port])');
  if (inputs['source-host']) parseSourceHost(inputs['source-host'], inputs.user);
  // parseDatabaseUrl resolves a relative SQLite path against the runner's workspace, which is not where the file is.
  if (inputs['dump-on'] === 'host' && inputs['database-url'] && isRelativeSqliteUrl(inputs['database-url']))
    throw new ConfigurationError(
      'input "database-url": with dump-on: host the SQLite file is on source-host; give its absolute path there (sqlite:///srv/app/db.sqlite3)',
    );
}

function checkDeployPath(path: string, compose: boolean | undefined): void {
  if (!compose)
    throw new ConfigurationError('input "deploy-path": only used with container: compose:<service>, to find its compose project');
  if (!isSafeRemotePath(path) || posix.normalize(path) === '/')
    throw new ConfigurationError(
      `input "deploy-path": expected the deploy's path as given to backend (letters, digits, ".", "_", "-", "/" without ".." or spaces), got ${JSON.stringify(path)}`,
    );
}

/**
 * The compose project of `container: compose:<service>`: compose-project, else the one mode: compose
 * deploys deploy-path under (its last segment as a compose name); undefined for a plain container.
 */
export function sourceComposeProject(inputs: Pick<SourceInputs, 'container' | 'compose-project' | 'deploy-path'>): string | undefined {
  if (!inputs.container?.startsWith('compose:')) return undefined;
  return inputs['deploy-path'] ? composeProject(inputs['deploy-path'], inputs['compose-project']) : inputs['compose-project'];
}

/** The pinned connection to source-host, with the same ssh-key, known-hosts/host-fingerprint and jump-host as the target. */
export async function connectSource(inputs: SourceSshInputs & { 'source-host': string }, ctx: RunContext): Promise<SourceSession> {
  const host = parseSourceHost(inputs['source-host'], inputs.user);
  const config = connectionConfig({ ...inputs, transport: 'ssh', hosts: [inputs['source-host']], path: '.' });
  return openSourceSession({ ...config, hosts: [host] }, ctx);
}
