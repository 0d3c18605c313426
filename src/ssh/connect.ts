import type { PostContext, RunContext } from '../core/action.js';
import { missingSecret } from '../core/missing-secret.js';
import { cleanupSshDir, createSshFiles, pinFingerprints, type SshAuth, type SshFiles } from './session.js';
import type { SshTarget } from './target.js';

/** A directory on one or more hosts (or on the runner's own disk), reached the way the inputs say. */
export interface ConnectionConfig {
  transport: 'ssh' | 'local';
  hosts: readonly SshTarget[];
  auth: SshAuth;
  root: string;
}

export const STATE_SSH_DIR = 'ssh-dir';

/**
 * Warns about an unpinned host key, writes the key and known_hosts files (recorded for the post
 * step) and pins fingerprints; when pinning fails the files are removed before the error goes on.
 */
export async function prepareSsh(config: Pick<ConnectionConfig, 'hosts' | 'auth'>, ctx: RunContext): Promise<SshFiles> {
  // On a runner there is no other key to log in with; the CLI may use the user's agent or ~/.ssh.
  if (!config.auth.privateKey && ctx.env.eventName !== 'cli') throw missingSecret('ssh-key', 'transport ssh logs in to the hosts with it');
  if (config.auth.insecureSkipHostKeyCheck) {
    ctx.logger.warning(
      'insecure-skip-host-key-check is true: any host key is accepted, so a man in the middle could take over this connection. Pin the key with known-hosts or host-fingerprint.',
    );
  }
  const files = createSshFiles(ctx.env.tempDir, config.auth);
  ctx.state.save(STATE_SSH_DIR, files.dir);
  try {
    if (config.auth.hostFingerprints.length > 0 && !config.auth.insecureSkipHostKeyCheck) {
      for (const target of config.hosts) await pinFingerprints(ctx.exec, files, target, config.auth.hostFingerprints);
    }
  } catch (error) {
    await cleanupSshDir(ctx.exec, files.dir, ctx.logger);
    throw error;
  }
  return files;
}

/** The post step of every SSH action: close control sockets and remove the key, even after a failure. */
export async function sshPost(ctx: PostContext): Promise<void> {
  const dir = ctx.state.get(STATE_SSH_DIR);
  if (dir) await cleanupSshDir(ctx.exec, dir, ctx.logger);
}
