// Redeploy of a 50 MB release after a one-file change, against a full copy of the same release
// measured in the same run: bytes that crossed the SSH connection and wall time, as ratios.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runBundle } from '../harness/services/runner.js';
import { ensureUser, sshdAvailable, startSshd } from '../harness/services/sshd.js';

const FILES = 200;
const FILE_SIZE = 256 * 1024;

function makeRelease(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-bench-src-'));
  mkdirSync(join(dir, 'static'));
  for (let i = 0; i < FILES; i += 1) writeFileSync(join(dir, 'static', `chunk-${i}.js`), randomBytes(FILE_SIZE));
  writeFileSync(join(dir, 'VERSION'), 'v1\n');
  return dir;
}

export default async function bench(): Promise<void> {
  const useSsh = sshdAvailable() && process.getuid?.() === 0;
  const sshd = useSsh ? await startSshd() : undefined;
  const home = useSsh ? ensureUser('dkdeploy') : mkdtempSync(join(tmpdir(), 'dk-bench-host-'));
  const root = `bench-${process.pid}`;
  const connection: Record<string, string> = sshd
    ? { hosts: `dkdeploy@127.0.0.1:${sshd.port}`, 'ssh-key': sshd.privateKey, 'known-hosts': sshd.knownHosts, path: root }
    : { transport: 'local', path: join(home, root) };
  const source = makeRelease();
  const measure = async (release: string) => {
    const started = performance.now();
    const run = await runBundle('backend', { ...connection, source, 'release-id': release });
    const seconds = (performance.now() - started) / 1000;
    if (run.exitCode !== 0) throw new Error(`deploy ${release} failed:\n${run.stdout}`);
    return { seconds, bytes: Number(/(?:rsync|tar), (\d+) bytes sent/.exec(run.stdout)?.[1] ?? NaN) };
  };
  try {
    const full = await measure('full');
    writeFileSync(join(source, 'VERSION'), 'v2\n');
    const redeploy = await measure('redeploy');
    const mb = (FILES * FILE_SIZE) / 1024 / 1024;
    console.log(`transport: ${sshd ? 'ssh (real sshd on 127.0.0.1)' : 'local'}, release: ${mb} MB in ${FILES + 1} files`);
    console.log(`full copy        : ${full.bytes.toLocaleString()} bytes sent, ${full.seconds.toFixed(2)} s`);
    console.log(`1-file redeploy  : ${redeploy.bytes.toLocaleString()} bytes sent, ${redeploy.seconds.toFixed(2)} s`);
    console.log(`ratio bytes      : ${(redeploy.bytes / full.bytes).toFixed(5)} (redeploy / full)`);
    console.log(`ratio time       : ${(redeploy.seconds / full.seconds).toFixed(3)} (redeploy / full)`);
  } finally {
    await sshd?.stop();
    rmSync(source, { recursive: true, force: true });
    rmSync(join(home, root), { recursive: true, force: true });
  }
}
