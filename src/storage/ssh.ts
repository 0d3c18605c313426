import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { RunContext } from '../core/action.js';
import { errorMessage, OperationalError } from '../core/errors.js';
import { checkResult } from '../core/exec.js';
import { shellCommand } from '../core/shell.js';
import { withVars } from '../core/shell.js';
import { spawnStreaming } from '../core/stream-process.js';
import { sshTransport } from '../release/upload/ssh.js';
import { type ConnectionConfig, prepareSsh } from '../ssh/connect.js';
import { cleanupSshDir, sshArgv, withSshHint } from '../ssh/session.js';
import { targetLabel } from '../ssh/target.js';
import { assertSafeKey, type StorageTarget } from './target.js';

/** The remote scripts of the ssh target; every value enters as a quoted assignment (withVars). */
export const storageScripts = {
  stat: (file: string) => withVars({ file }, 'test -f "$file" || { echo "no object $file" >&2; exit 3; }'),
  list: (root: string, prefix: string) =>
    withVars({ root, prefix }, 'if [ -d "$root/$prefix" ]; then cd "$root" && find "$prefix" -mindepth 1 -maxdepth 1 -type f; fi'),
  remove: (file: string) => withVars({ file }, 'rm -f -- "$file"'),
  move: (from: string, to: string) => withVars({ from, to }, 'umask 077 && mkdir -p "$(dirname "$to")" && mv -f -- "$from" "$to"'),
};

/** A directory on a host reached with the same connection inputs as `backend`; objects are streamed through ssh. */
export async function sshStorage(config: ConnectionConfig, ctx: RunContext): Promise<StorageTarget> {
  const host = config.hosts[0]!;
  const files = await prepareSsh(config, ctx);
  const transport = sshTransport(ctx.exec, files, config.auth, host);
  const remote = (argv: readonly string[]) => sshArgv(files, config.auth, host, shellCommand(argv));
  const path = (key: string) => `${config.root}/${assertSafeKey(key)}`;
  const script = async (what: string, text: string) => checkResult(`${what} on ${transport.label}`, await transport.run(text)).stdout;
  // ssh's own failures (exit 255: connection, auth, host key) get the same hint as in the transport.
  const explained = (done: Promise<void>) =>
    done.catch((error: unknown) => Promise.reject(withSshHint(error, transport.label, config.auth.jumpHost)));
  return {
    label: `${targetLabel(host)}:${config.root}`,
    async put(key, body: Readable) {
      const proc = spawnStreaming(
        `upload of ${key} to ${transport.label}`,
        remote(['sh', '-c', 'umask 077 && mkdir -p "$(dirname "$1")" && cat > "$1"', 'sh', path(key)]),
      );
      proc.stdout.resume();
      await Promise.all([pipeline(body, proc.stdin), explained(proc.done)]);
    },
    async get(key) {
      await script('stat', storageScripts.stat(path(key))).catch((error) => {
        throw new OperationalError(`no object ${key} on ${transport.label}: ${errorMessage(error)}`);
      });
      const proc = spawnStreaming(`download of ${key} from ${transport.label}`, remote(['cat', '--', path(key)]));
      proc.stdin.end();
      explained(proc.done).catch((error) => proc.stdout.destroy(error as Error));
      return proc.stdout;
    },
    async list(prefix) {
      const out = await script('list', storageScripts.list(config.root, prefix.replace(/\/+$/, '')));
      return out
        .split('\n')
        .filter((line) => line !== '')
        .sort();
    },
    async delete(key) {
      await script('delete', storageScripts.remove(path(key)));
    },
    async move(from, to) {
      await script('rename', storageScripts.move(path(from), path(to)));
    },
    async close() {
      await transport.close();
      await cleanupSshDir(ctx.exec, files.dir, ctx.logger);
    },
  };
}
