import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RunContext } from '../core/action.js';
import { CommandError, OperationalError, tail } from '../core/errors.js';
import { spawnStreaming } from '../core/stream-process.js';
import { STATE_SSH_DIR, type ConnectionConfig } from '../ssh/connect.js';
import { shellCommand } from '../ssh/quote.js';
import { withVars } from '../ssh/scripts.js';
import { cleanupSshDir, createSshFiles, destination, pinFingerprints, sshOptions, sshTransport } from '../ssh/session.js';
import { targetLabel } from '../ssh/target.js';
import { assertSafeKey, type StorageTarget } from './target.js';

/** A directory on a host reached with the same connection inputs as `backend`; objects are streamed through ssh. */
export async function sshStorage(config: ConnectionConfig, ctx: RunContext): Promise<StorageTarget> {
  const host = config.hosts[0]!;
  const files = createSshFiles(ctx.env.tempDir, config.auth);
  ctx.state.save(STATE_SSH_DIR, files.dir);
  if (config.auth.hostFingerprints.length > 0 && !config.auth.insecureSkipHostKeyCheck) await pinFingerprints(ctx.exec, files, host, config.auth.hostFingerprints);
  const transport = sshTransport(ctx.exec, files, config.auth, host);
  const ssh = ['ssh', ...sshOptions(files, config.auth), '-p', String(host.port), destination(host)];
  const path = (key: string) => `${config.root}/${assertSafeKey(key)}`;
  const script = async (what: string, vars: Record<string, string>, body: string) => {
    const result = await transport.run(withVars(vars, body));
    if (result.exitCode !== 0) throw new CommandError(`${what} on ${transport.label}`, result.exitCode, tail(`${result.stdout}\n${result.stderr}`));
    return result.stdout;
  };
  return {
    label: `${targetLabel(host)}:${config.root}`,
    async put(key, body: Readable) {
      const proc = spawnStreaming(`upload of ${key} to ${transport.label}`, [...ssh, shellCommand(['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'sh', path(key)])]);
      proc.stdout.resume();
      await Promise.all([pipeline(body, proc.stdin), proc.done]);
    },
    async get(key) {
      await script('stat', { file: path(key) }, 'test -f "$file" || { echo "no object $file" >&2; exit 3; }').catch((error) => {
        throw new OperationalError(`no object ${key} on ${transport.label}: ${(error as Error).message}`);
      });
      const proc = spawnStreaming(`download of ${key} from ${transport.label}`, [...ssh, shellCommand(['cat', '--', path(key)])]);
      proc.stdin.end();
      proc.done.catch((error) => proc.stdout.destroy(error as Error));
      return proc.stdout;
    },
    async list(prefix) {
      const out = await script('list', { root: config.root, prefix: prefix.replace(/\/+$/, '') }, 'if [ -d "$root/$prefix" ]; then cd "$root" && find "$prefix" -type f; fi');
      return out.split('\n').filter((line) => line !== '').sort();
    },
    async delete(key) {
      await script('delete', { file: path(key) }, 'rm -f -- "$file"');
    },
    async move(from, to) {
      await script('rename', { from: path(from), to: path(to) }, 'mkdir -p "$(dirname "$to")" && mv -f -- "$from" "$to"');
    },
    async close() {
      await transport.close();
      await cleanupSshDir(ctx.exec, files.dir, ctx.logger);
    },
  };
}
