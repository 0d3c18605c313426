import type { RunContext } from '../core/action.js';
import { type ConnectionConfig, prepareSsh } from '../ssh/connect.js';
import { cleanupSshDir } from '../ssh/session.js';
import type { SshTarget } from '../ssh/target.js';
import { ReleaseHost } from './host.js';
import { type HeldLocks, STATE_LOCKS } from './post.js';
import { localTransport } from './upload/local.js';
import { sshTransport } from './upload/ssh.js';

export interface Connections {
  hosts: ReleaseHost[];
  close(): Promise<void>;
}

/** Keeps the state's list of locks this run holds current, for the post step (post.ts). */
function lockRecorder(config: ConnectionConfig, ctx: RunContext) {
  const held = new Map<string, { target?: SshTarget; token: string }>();
  return (label: string, target?: SshTarget) => (token: string | undefined) => {
    if (token) held.set(label, { target, token });
    else held.delete(label);
    const state: HeldLocks = {
      root: config.root,
      transport: config.transport,
      insecure: config.auth.insecureSkipHostKeyCheck,
      jumpHost: config.auth.jumpHost,
      held: [...held.values()],
    };
    ctx.state.save(STATE_LOCKS, held.size > 0 ? JSON.stringify(state) : '');
  };
}

/** Prepares key and known_hosts files, pins fingerprints, and returns one ReleaseHost per target. */
export async function connect(config: ConnectionConfig, ctx: RunContext): Promise<Connections> {
  const record = lockRecorder(config, ctx);
  if (config.transport === 'local') {
    const host = new ReleaseHost(localTransport(ctx.exec), config.root, ctx, record('local'));
    return { hosts: [host], close: async () => undefined };
  }
  const files = await prepareSsh(config, ctx);
  const hosts = config.hosts.map((target) => {
    const transport = sshTransport(ctx.exec, files, config.auth, target);
    return new ReleaseHost(transport, config.root, ctx, record(transport.label, target));
  });
  const close = async () => {
    for (const host of hosts) await host.transport.close();
    await cleanupSshDir(ctx.exec, files.dir, ctx.logger);
  };
  return { hosts, close };
}
