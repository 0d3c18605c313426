import { createReadStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { CommandError, tail } from '../../core/errors.js';
import type { Executor } from '../../core/exec.js';
import { shellCommand } from '../../core/shell.js';
import { destination, explainSshFailure, sshArgv, type SshAuth, type SshFiles, sshPrefix } from '../../ssh/session.js';
import { type SshTarget, targetLabel } from '../../ssh/target.js';
import { parseRsyncBytesSent, rsyncArgs, SCRIPT_PRELUDE, type Transport, type UploadResult } from './transport.js';

/** A release host over OpenSSH: scripts on the shared connection, uploads by rsync (tar where the host has none). */
export function sshTransport(exec: Executor, files: SshFiles, auth: SshAuth, target: SshTarget): Transport {
  const label = targetLabel(target);
  const ssh = sshPrefix(files, auth, target);
  const dest = destination(target);
  const fail = (what: string, code: number, stdout: string, stderr: string) =>
    new CommandError(`${what} on ${label}`, code, tail(`${stdout}\n${stderr}`), explainSshFailure(label, stderr, auth.jumpHost));

  return {
    label,
    async run(script) {
      const result = await exec.run(sshArgv(files, auth, target, shellCommand(['bash', '--noprofile', '--norc', '-s'])), {
        stdin: SCRIPT_PRELUDE + script,
      });
      // 255 is ssh's own failure (connection, auth, host key), not the script's.
      if (result.exitCode === 255) throw fail('ssh connection', 255, '', result.stderr);
      return result;
    },
    async upload(localDir, remoteDir, options): Promise<UploadResult> {
      const remoteRsync =
        options.remoteRsync ?? (await this.run('command -v rsync >/dev/null && echo rsync || echo none')).stdout.trim() === 'rsync';
      if (remoteRsync) {
        const rsh = shellCommand(ssh);
        const result = await exec.run(['rsync', '-e', rsh, ...rsyncArgs(localDir, `${dest}:${remoteDir}`, options)]);
        if (result.exitCode !== 0) throw fail('rsync', result.exitCode, '', result.stderr);
        return { method: 'rsync', bytesSent: parseRsyncBytesSent(result.stdout) };
      }
      // No rsync on the host: a full tar stream, so no hard links to the previous release.
      const archive = join(files.dir, 'release.tar');
      const excludes = options.exclude.map((p) => `--exclude=${p}`);
      const tar = await exec.run(['tar', '-C', localDir, ...excludes, '-cf', archive, '.']);
      if (tar.exitCode !== 0) throw fail('tar', tar.exitCode, '', tar.stderr);
      try {
        const remote = shellCommand(['sh', '-c', 'mkdir -p "$1" && tar -xf - -C "$1"', 'sh', remoteDir]);
        const result = await exec.run(sshArgv(files, auth, target, remote), { stdin: createReadStream(archive) });
        if (result.exitCode !== 0) throw fail('tar upload', result.exitCode, '', result.stderr);
        return { method: 'tar', bytesSent: statSync(archive).size };
      } finally {
        rmSync(archive, { force: true });
      }
    },
    close: async () => {
      await exec.run([...ssh, '-O', 'exit', dest]).catch(() => undefined);
    },
  };
}
