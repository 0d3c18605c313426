// backup of a generated PostgreSQL database to a local target, against `pg_dump -Fc -Z0 | zstd -3 -T0 > file`
// measured in the same run (alternating BENCH_ROUNDS rounds, bench/rounds.ts); prints the throughput ratio (goal ≥ 0.9×)
// and the peak RSS of the action's node process (goal ≤ 100 MiB at any size).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startPostgres } from '../harness/services/postgres.js';
import { runBundle, runMeasured } from '../harness/services/runner.js';
import { best, throughputRatio } from './rounds.js';

// 1.34M rows ≈ 262 MB, the size #17 measured the action on (264 MB).
const ROWS = Number(process.env.BENCH_BACKUP_ROWS ?? 1_340_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

export default async function bench(): Promise<void> {
  const pg = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'dk-bench-backup-'));
  try {
    pg.psql('CREATE DATABASE big');
    pg.psql(
      `CREATE TABLE events (id bigint PRIMARY KEY, kind text, payload text, amount double precision, at timestamptz);
       INSERT INTO events SELECT g, 'kind-' || (g % 17), md5(g::text) || md5((g * 7)::text) || ' some repeated words in the payload', random() * 1000, now() - g * interval '1 second'
         FROM generate_series(1, ${ROWS}) g;`,
      'big',
    );
    const size = Number(pg.psql("SELECT pg_database_size('big')", 'big').trim());
    console.log(`database: ${(size / 1e6).toFixed(0)} MB, ${ROWS} rows`);

    const baselineFile = join(dir, 'baseline.pgdump.zst');
    const runBaseline = async () => {
      const run = await runMeasured(
        ['bash', '-o', 'pipefail', '-c', `pg_dump -Fc -Z0 -d "$1" | zstd -q -3 -T0 -c > "$2"`, 'bash', pg.url('big'), baselineFile],
        { ...process.env } as Record<string, string>,
      );
      if (run.exitCode !== 0) throw new Error(`baseline failed: ${run.stderr}`);
      return run;
    };
    const runAction = async () => {
      const run = await runBundle('backup', { 'database-url': pg.url('big'), path: join(dir, 'target'), prune: 'false' });
      if (run.exitCode !== 0) throw new Error(`backup action failed: ${run.stderr}`);
      return run;
    };
    // Alternating rounds, compared as bench/rounds.ts says.
    const baselines = [];
    const actions = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      baselines.push(await runBaseline());
      actions.push(await runAction());
    }
    const baseline = best(baselines);
    const action = { ...best(actions), peakKb: Math.max(...actions.map((a) => a.peakKb)) };
    const stored = action.outputs.size ?? '?';

    const mbps = (ms: number) => size / 1e6 / (ms / 1000);
    console.log(
      `pg_dump -Fc -Z0 | zstd -3 -T0 > file: ${(baseline.ms / 1000).toFixed(1)} s, ${mbps(baseline.ms).toFixed(1)} MB/s of database, ${(statSync(baselineFile).size / 1e6).toFixed(1)} MB written`,
    );
    console.log(
      `backup action (local)               : ${(action.ms / 1000).toFixed(1)} s, ${mbps(action.ms).toFixed(1)} MB/s of database, ${(Number(stored) / 1e6).toFixed(1)} MB stored`,
    );
    console.log(`throughput ratio action/baseline: ${throughputRatio(baselines, actions)} (goal >= 0.9x)`);
    console.log(
      `node process peak RSS: ${(action.peakKb / 1024).toFixed(0)} MiB while streaming a ${(size / 1e6).toFixed(0)} MB database (goal <= 100 MiB)`,
    );
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
