import type { RunContext } from '../../core/action.js';
import { ConfigurationError } from '../../core/errors.js';
import { choice, optionalText } from '../../core/inputs.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import { remoteEndpoint, tunnelTo } from '../../db/tunnel.js';
import { openSourceSession, parseSourceHost, type SourceSession } from '../../ssh/forward.js';
import { connectionConfig, type SshConnectionInputs } from '../../ssh/inputs.js';
import { hostPlace } from './place.js';
import { placedEngine } from './placed-engine.js';

/** Where the data lives; the SSH inputs (ssh-key, known-hosts, host-fingerprint, jump-host, user) are the target's. */
export const sourceInputs = {
  'source-host': optionalText(),
  'dump-on': choice(['runner', 'host'] as const, 'runner'),
};

export interface SourceInputs extends Omit<SshConnectionInputs, 'transport' | 'hosts' | 'path'> {
  'source-host'?: string;
  'dump-on': 'runner' | 'host';
}

/** The database as this run reaches it, the engine whose tools do the work, and what to close afterwards. */
export interface DataSource {
  db: DatabaseTarget;
  engine: DumpEngine;
  /** Says where the tools run and how they reach the database, for the log and summary. */
  description: string;
  session?: SourceSession;
  close(): Promise<void>;
}

/** Checks source-host and dump-on together, before anything connects. */
export function checkSourceInputs(inputs: SourceInputs): void {
  if (inputs['dump-on'] === 'host' && !inputs['source-host'])
    throw new ConfigurationError('input "dump-on": host runs the dump tool on source-host; set source-host ([user@]host[:port])');
  if (inputs['source-host']) parseSourceHost(inputs['source-host'], inputs.user);
}

/** The pinned connection to source-host, with the same ssh-key, known-hosts/host-fingerprint and jump-host as the target. */
export async function connectSource(inputs: SourceInputs & { 'source-host': string }, ctx: RunContext): Promise<SourceSession> {
  const host = parseSourceHost(inputs['source-host'], inputs.user);
  const config = connectionConfig({ ...inputs, transport: 'ssh', hosts: [inputs['source-host']], path: '.' });
  return openSourceSession({ ...config, hosts: [host] }, ctx);
}

/**
 * No source-host: the tools run here against database-url. With source-host, the host and port in
 * database-url are as seen from that machine: dump-on: runner forwards a local port to it on the
 * one connection; dump-on: host runs the dump tool there and streams its output back (the small
 * control queries still go through the forward).
 */
export async function openSource(
  inputs: SourceInputs,
  opened: { db: DatabaseTarget; engine: DumpEngine },
  ctx: RunContext,
): Promise<DataSource> {
  checkSourceInputs(inputs);
  const spec = inputs['source-host'];
  if (!spec) return { ...opened, description: `${opened.engine.name} tools on the runner`, close: async () => undefined };
  const tunnelled = !(opened.db.engine === 'sqlite' && inputs['dump-on'] === 'host');
  if (tunnelled) remoteEndpoint(opened.db); // a URL the tunnel cannot reach fails before connecting
  const session = await connectSource({ ...inputs, 'source-host': spec }, ctx);
  try {
    const tunnel = tunnelled ? await tunnelTo(session, opened.db) : undefined;
    const close = async () => {
      await tunnel?.forward.close();
      await session.close();
    };
    const db = tunnel?.db ?? opened.db;
    if (inputs['dump-on'] === 'runner') {
      return {
        db,
        engine: opened.engine,
        session,
        close,
        description: `${opened.engine.name} tools on the runner, through a forward to ${session.label}`,
      };
    }
    const engine = placedEngine(opened.engine, hostPlace(session), opened.db);
    return { db, engine, session, close, description: `${opened.engine.name} tools on ${session.label}, output streamed back over SSH` };
  } catch (error) {
    await session.close();
    throw error;
  }
}
