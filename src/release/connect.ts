import type { RunContext } from '../core/action.js';
import { type ConnectionConfig, prepareSsh } from '../ssh/connect.js';
import { cleanupSshDir } from '../ssh/session.js';
import { ReleaseHost } from './host.js';
import { localTransport } from './upload/local.js';
import { sshTransport } from './upload/ssh.js';

export interface Connections {
  hosts: ReleaseHost[];
  close(): Promise<void>;
}

/** Prepares key and known_hosts files, pins fingerprints, and returns one ReleaseHost per target. */
export async function connect(config: ConnectionConfig, ctx: RunContext): Promise<Connections> {
  if (config.transport === 'local') {
    const host = new ReleaseHost(localTransport(ctx.exec), config.root, ctx);
    return { hosts: [host], close: async () => undefined };
  }
  const files = await prepareSsh(config, ctx);
  const hosts = config.hosts.map((target) => new ReleaseHost(sshTransport(ctx.exec, files, config.auth, target), config.root, ctx));
  const close = async () => {
    for (const host of hosts) await host.transport.close();
    await cleanupSshDir(ctx.exec, files.dir, ctx.logger);
  };
  return { hosts, close };
}
