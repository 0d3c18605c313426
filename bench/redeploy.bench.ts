// Redeploy of a 50 MB / 500-file release after a one-file change: the kit's backend step (lock and
// inspect, upload into a partial name, finish, switch, history + prune + unlock, one SSH login) against
// raw `rsync -a --checksum --link-dest` plus a symlink switch over a fresh connection, measured side by
// side in the same run on the same host. Median of several rounds; goal: kit / raw ≤ 2.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runBundle } from '../harness/services/runner.js';
import { ensureUser, sshdAvailable, startSshd } from '../harness/services/sshd.js';

const FILES = 500;
const FILE_SIZE = 100 * 1024;
const ROUNDS = 5;
const USER = 'dkdeploy';

function makeRelease(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-bench-src-'));
  for (let d = 0; d < 10; d += 1) mkdirSync(join(dir, 'static', `d${d}`), { recursive: true });
  for (let i = 0; i < FILES; i += 1) writeFileSync(join(dir, 'static', `d${i % 10}`, `chunk-${i}.js`), randomBytes(FILE_SIZE));
  return dir;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function bench(): Promise<void> {
  if (!sshdAvailable() || process.getuid?.() !== 0) {
    console.log('skipped: needs root and /usr/sbin/sshd (a real sshd on 127.0.0.1)');
    return;
  }
  const sshd = await startSshd();
  const home = ensureUser(USER);
  const kitRoot = `bench-kit-${process.pid}`;
  const rawRoot = `bench-raw-${process.pid}`;
  const source = makeRelease();
  const work = mkdtempSync(join(tmpdir(), 'dk-bench-ssh-'));
  const keyFile = join(work, 'id');
  const knownHosts = join(work, 'known_hosts');
  writeFileSync(keyFile, sshd.privateKey, { mode: 0o600 });
  writeFileSync(knownHosts, sshd.knownHosts);
  const ssh = [
    'ssh',
    '-F',
    '/dev/null',
    '-i',
    keyFile,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-p',
    String(sshd.port),
  ];
  const dest = `${USER}@127.0.0.1`;
  const connection = { hosts: `${dest}:${sshd.port}`, 'ssh-key': sshd.privateKey, 'known-hosts': sshd.knownHosts, path: kitRoot };
  let change = 0;
  const touchOneFile = () => writeFileSync(join(source, 'VERSION'), `change ${(change += 1)}\n`);

  const kit = async (release: string) => {
    const started = performance.now();
    const run = await runBundle('backend', { ...connection, source, 'release-id': release });
    if (run.exitCode !== 0) throw new Error(`deploy ${release} failed:\n${run.stdout}`);
    return (performance.now() - started) / 1000;
  };
  // One fresh login (a ControlMaster started and closed inside the timing): rsync, then the switch.
  const raw = (release: string, previous?: string) => {
    const socket = join(work, `cm-${release}`);
    const mux = [...ssh, '-o', `ControlPath=${socket}`];
    const started = performance.now();
    execFileSync(mux[0]!, [...mux.slice(1), '-o', 'ControlMaster=yes', '-o', 'ControlPersist=60', '-N', '-f', dest]);
    const rsh = mux.join(' ');
    const linkDest = previous ? [`--link-dest=../${previous}`] : [];
    execFileSync('rsync', ['-a', '--checksum', ...linkDest, '-e', rsh, `${source}/`, `${dest}:${rawRoot}/releases/${release}/`], {
      stdio: 'ignore',
    });
    execFileSync(mux[0]!, [
      ...mux.slice(1),
      dest,
      `cd ${rawRoot} && ln -sfn releases/${release} .current.tmp && mv -T .current.tmp current`,
    ]);
    const seconds = (performance.now() - started) / 1000;
    execFileSync(mux[0]!, [...mux.slice(1), '-O', 'exit', dest], { stdio: 'ignore' });
    return seconds;
  };

  try {
    execFileSync(ssh[0]!, [...ssh.slice(1), dest, `mkdir -p ${rawRoot}/releases`]);
    const fullKit = await kit('k0');
    const fullRaw = raw('b0');
    const kitTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      touchOneFile();
      kitTimes.push(await kit(`k${round}`));
      rawTimes.push(raw(`b${round}`, `b${round - 1}`));
    }
    const mb = (FILES * FILE_SIZE) / 1024 / 1024;
    console.log(`release: ${mb.toFixed(0)} MB in ${FILES + 1} files, ssh to a real sshd on 127.0.0.1, median of ${ROUNDS} rounds`);
    console.log(`first deploy     : kit ${fullKit.toFixed(2)} s, raw rsync ${fullRaw.toFixed(2)} s`);
    console.log(`1-file redeploy  : kit ${median(kitTimes).toFixed(2)} s (${kitTimes.map((t) => t.toFixed(2)).join(', ')})`);
    console.log(
      `raw baseline     : ${median(rawTimes).toFixed(2)} s (${rawTimes.map((t) => t.toFixed(2)).join(', ')}): rsync -a --checksum --link-dest + ln/mv switch, one fresh login`,
    );
    console.log(`ratio time       : ${(median(kitTimes) / median(rawTimes)).toFixed(2)}× (kit / raw; goal ≤ 2×)`);
  } finally {
    await sshd.stop();
    rmSync(source, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    rmSync(join(home, kitRoot), { recursive: true, force: true });
    rmSync(join(home, rawRoot), { recursive: true, force: true });
  }
}
