import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { PostContext } from '../core/action.js';
import { errorMessage } from '../core/errors.js';
import { sshPost, STATE_SSH_DIR } from '../ssh/connect.js';
import type { SshTarget } from '../ssh/target.js';
import { releaseLockScript } from './lock.js';
import { localTransport } from './upload/local.js';
import { sshTransport } from './upload/ssh.js';

export const STATE_LOCKS = 'deploy-locks';

/** What the main step leaves in state while it holds deploy locks (cleared when it lets go). */
export interface HeldLocks {
  root: string;
  transport: 'ssh' | 'local';
  insecure: boolean;
  jumpHost?: SshTarget;
  held: { target?: SshTarget; token: string }[];
}

/**
 * The post step of backend and rollback: releases every deploy lock the main step still held when
 * it ended (killed, or cancelled before it could), then closes the control sockets and removes the
 * key. Light when nothing is held: no connection at all. Never throws.
 */
export async function releasePost(ctx: PostContext): Promise<void> {
  const raw = ctx.state.get(STATE_LOCKS);
  if (raw) {
    try {
      await releaseHeld(JSON.parse(raw) as HeldLocks, ctx);
    } catch (error) {
      ctx.logger.warning(`could not release the deploy lock: ${errorMessage(error)}`);
    }
  }
  await sshPost(ctx);
}

async function releaseHeld(locks: HeldLocks, ctx: PostContext): Promise<void> {
  const dir = ctx.state.get(STATE_SSH_DIR);
  for (const { target, token } of locks.held) {
    let transport;
    if (locks.transport === 'local' || !target) transport = localTransport(ctx.exec);
    else {
      const keyFile = join(dir, 'id');
      const files = { dir, keyFile: existsSync(keyFile) ? keyFile : undefined, knownHostsFile: join(dir, 'known_hosts') };
      const auth = { hostFingerprints: [], insecureSkipHostKeyCheck: locks.insecure, jumpHost: locks.jumpHost };
      transport = sshTransport(ctx.exec, files, auth, target);
    }
    const result = await transport.run(releaseLockScript(locks.root, token));
    if (result.exitCode === 0) ctx.logger.info(`${transport.label}: released the deploy lock this run still held`);
    else ctx.logger.warning(`${transport.label}: could not release the deploy lock: ${result.stderr.trim()}`);
  }
}
