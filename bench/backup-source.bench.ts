// backup of a PostgreSQL that listens only on a Unix socket on an SSH host: through the SSH local
// forward (dump-on: runner) and with pg_dump on the host (dump-on: host), against the same dump
// run on the host and piped through `ssh` by hand (`ssh host pg_dump -Fc -Z0 | zstd > file`),
// measured in the same run (alternating BENCH_ROUNDS rounds, bench/rounds.ts); prints the throughput ratios (goal >= 0.9x).
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSocketPostgres } from '../harness/services/postgres-socket.js';
import { runBundle, runMeasured } from '../harness/services/runner.js';
import { ensureUser, startSshd } from '../harness/services/sshd.js';
import { best, throughputRatio } from './rounds.js';

const ROWS = Number(process.env.BENCH_BACKUP_ROWS ?? 1_000_000);
const USER = 'dksource';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

export default async function bench(): Promise<void> {
  ensureUser(USER);
  const [sshd, pg] = await Promise.all([startSshd(), startSocketPostgres(USER)]);
  const dir = mkdtempSync(join(tmpdir(), 'dk-bench-source-'));
  try {
    pg.psql('CREATE DATABASE big');
    pg.psql(
      `CREATE TABLE events (id bigint PRIMARY KEY, kind text, payload text, amount double precision, at timestamptz);
       INSERT INTO events SELECT g, 'kind-' || (g % 17), md5(g::text) || md5((g * 7)::text) || ' some repeated words in the payload', random() * 1000, now() - g * interval '1 second'
         FROM generate_series(1, ${ROWS}) g;`,
      'big',
    );
    const size = Number(pg.psql("SELECT pg_database_size('big')", 'big').trim());
    console.log(`database: ${(size / 1e6).toFixed(0)} MB, ${ROWS} rows, on a Unix socket of ${USER}@127.0.0.1:${sshd.port}`);

    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, sshd.knownHosts);
    chmodSync(sshd.privateKeyFile, 0o600);
    const baselineFile = join(dir, 'baseline.pgdump.zst');
    const ssh = `ssh -o BatchMode=yes -o UserKnownHostsFile=${knownHosts} -i ${sshd.privateKeyFile} -p ${sshd.port} ${USER}@127.0.0.1`;
    const byHand = async (database: string) => {
      const remote = `PGPASSWORD=${pg.password} pg_dump -Fc -Z 0 -h ${pg.socketDir} -p ${pg.port} -U postgres -d ${database}`;
      const run = await runMeasured(
        ['bash', '-o', 'pipefail', '-c', `${ssh} "$1" | zstd -q -c -3 -T0 > "$2"`, 'bash', remote, baselineFile],
        {
          ...process.env,
        } as Record<string, string>,
      );
      if (run.exitCode !== 0) throw new Error(`baseline failed: ${run.stderr}`);
      return run;
    };
    const inputs = {
      'database-url': pg.url('big'),
      'source-host': `${USER}@127.0.0.1:${sshd.port}`,
      'ssh-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      prune: 'false',
    };
    const action = async (dumpOn: 'runner' | 'host', round: number) => {
      const run = await runBundle('backup', { ...inputs, path: join(dir, `${dumpOn}-${round}`), 'dump-on': dumpOn }, { post: true });
      if (run.exitCode !== 0) throw new Error(`backup with dump-on: ${dumpOn} failed: ${run.stderr}`);
      return run;
    };
    // Alternating rounds, compared as bench/rounds.ts says.
    const runs: { hand: { ms: number }[]; tunnel: Awaited<ReturnType<typeof action>>[]; host: Awaited<ReturnType<typeof action>>[] } = {
      hand: [],
      tunnel: [],
      host: [],
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      runs.hand.push(await byHand('big'));
      runs.tunnel.push(await action('runner', round));
      runs.host.push(await action('host', round));
    }
    const baseline = best(runs.hand);
    const tunnel = best(runs.tunnel);
    const host = best(runs.host);
    const mbps = (ms: number) => size / 1e6 / (ms / 1000);
    const line = (label: string, ms: number, bytes: number) =>
      console.log(
        `${label.padEnd(36)}: ${(ms / 1000).toFixed(1)} s, ${mbps(ms).toFixed(1)} MB/s of database, ${(bytes / 1e6).toFixed(1)} MB stored`,
      );
    line('ssh host pg_dump | zstd > file', baseline.ms, statSync(baselineFile).size);
    line('backup, dump-on: runner (forward)', tunnel.ms, Number(tunnel.outputs.size));
    line('backup, dump-on: host', host.ms, Number(host.outputs.size));
    console.log(`throughput ratio tunnel/by-hand: ${throughputRatio(runs.hand, runs.tunnel)} (goal >= 0.9x)`);
    console.log(`throughput ratio dump-on host/by-hand: ${throughputRatio(runs.hand, runs.host)} (goal >= 0.9x)`);
    // The fixed cost of a run (node start, the SSH master, tool and version checks, manifest) against one ssh by hand,
    // from an almost empty database; what remains is the streaming throughput.
    pg.psql('CREATE DATABASE tiny');
    pg.psql('CREATE TABLE t (id int)', 'tiny');
    const tiny = { ...inputs, 'database-url': pg.url('tiny') };
    const fixedByHand = (await byHand('tiny')).ms;
    const fixedTunnel = (await runBundle('backup', { ...tiny, path: join(dir, 'tiny-tunnel') }, { post: true })).ms;
    const fixedHost = (await runBundle('backup', { ...tiny, path: join(dir, 'tiny-host'), 'dump-on': 'host' }, { post: true })).ms;
    console.log(
      `fixed cost per run (empty database): by hand ${(fixedByHand / 1000).toFixed(2)} s, tunnel ${(fixedTunnel / 1000).toFixed(2)} s, dump-on host ${(fixedHost / 1000).toFixed(2)} s`,
    );
    const net = (ms: number, fixed: number) => ((baseline.ms - fixedByHand) / (ms - fixed)).toFixed(2);
    console.log(
      `streaming throughput ratio without the fixed cost: tunnel ${net(tunnel.ms, fixedTunnel)}x, dump-on host ${net(host.ms, fixedHost)}x`,
    );
    const peak = (list: { peakKb: number }[]) => (Math.max(...list.map((r) => r.peakKb)) / 1024).toFixed(0);
    console.log(`node peak RSS: tunnel ${peak(runs.tunnel)} MiB, host ${peak(runs.host)} MiB`);
  } finally {
    await Promise.all([sshd.stop(), pg.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
