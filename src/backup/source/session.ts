import type { RunContext } from '../../core/action.js';
import { ConfigurationError } from '../../core/errors.js';
import { choice, optionalText, pattern } from '../../core/inputs.js';
import { missingSecret } from '../../core/missing-secret.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
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
  ...filesInputs,
};

export type SourceSshInputs = Omit<SshConnectionInputs, 'transport' | 'hosts' | 'path'>;

export interface SourceInputs extends SourceSshInputs, FilesInputs {
  'source-host'?: string;
  'dump-on': 'runner' | 'host';
  container?: string;
  'compose-project'?: string;
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
  if (inputs.container?.startsWith('compose:') && !inputs['compose-project'])
    throw new ConfigurationError('input "compose-project": container: compose:<service> needs the compose project the service belongs to');
  if (inputs.container && !database)
    throw new ConfigurationError('input "container": only for database backups (files backups read paths on the host)');
  if (database && inputs.name)
    throw new ConfigurationError('input "name": only for files backups (paths); a database backup is named by its database');
  if (inputs['dump-on'] === 'host' && !inputs['source-host'])
    throw new ConfigurationError('input "dump-on": host runs the dump tool on source-host; set source-host ([user@]host[:port])');
  if (inputs['source-host']) parseSourceHost(inputs['source-host'], inputs.user);
}

/** The pinned connection to source-host, with the same ssh-key, known-hosts/host-fingerprint and jump-host as the target. */
export async function connectSource(inputs: SourceSshInputs & { 'source-host': string }, ctx: RunContext): Promise<SourceSession> {
  const host = parseSourceHost(inputs['source-host'], inputs.user);
  const config = connectionConfig({ ...inputs, transport: 'ssh', hosts: [inputs['source-host']], path: '.' });
  return openSourceSession({ ...config, hosts: [host] }, ctx);
}
