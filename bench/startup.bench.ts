// Each bundle's start-up to a configuration error (no inputs at all), against a bundle of
// @actions/core + @actions/cache alone (what actions/cache's restore step loads) built here with the same
// ncc: median wall time of several runs and peak RSS; goal ≤ 1× for every bundle.
// BENCH_STARTUP_RUNS sets the runs per bundle (7), BENCH_STARTUP_ACTIONS=deploy,migrate measures only those.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ROOT, runBundle, runMeasured } from '../harness/services/runner.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7);

const BASELINE_SOURCE = join(ROOT, '.tmp', 'startup-baseline');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A bundle that does what actions/cache's restore does before its first network call: read a required input, fail. */
function buildBaseline(): string {
  const source = BASELINE_SOURCE;
  rmSync(source, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', source]);
  writeFileSync(
    join(source, 'index.mjs'),
    `import * as core from '@actions/core';
import * as cache from '@actions/cache';
try {
  const key = core.getInput('key', { required: true });
  await cache.restoreCache([core.getInput('path', { required: true })], key);
} catch (error) {
  core.setFailed(error.message);
}
`,
  );
  const out = mkdtempSync(join(tmpdir(), 'dk-bench-startup-'));
  execFileSync('npx', ['ncc', 'build', join(source, 'index.mjs'), '-o', out, '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  // ncc keeps the entry's extension: an .mjs entry gives index.mjs.
  const script = ['index.mjs', 'index.js'].map((f) => join(out, f)).find((f) => existsSync(f));
  if (!script) throw new Error(`ncc wrote no index.mjs or index.js in ${out}`);
  return script;
}

interface StartRun {
  ms: number;
  peakKb: number;
  exitCode: number;
  stdout: string;
}

/** Runs that did not end in the expected configuration error make the bench fail (a crash on load also exits 1, faster). */
function checkRuns(runs: readonly StartRun[], expected: RegExp): void {
  const wrong = runs.find((r) => r.exitCode !== 1 || !expected.test(r.stdout));
  if (wrong) throw new Error(`a start-up run did not end in a configuration error: ${wrong.stdout.slice(-500)}`);
}

export default async function bench(): Promise<void> {
  const baselineScript = buildBaseline();
  try {
    const only = (process.env.BENCH_STARTUP_ACTIONS ?? '').split(',').filter(Boolean);
    const actions = readdirSync(join(ROOT, 'dist'))
      .filter((name) => existsSync(join(ROOT, 'dist', name, 'index.js')) && name !== 'cli')
      .filter((name) => only.length === 0 || only.includes(name));
    // The runner's environment as the bundles see it; the baseline gets the same.
    const probe = await runBundle(actions[0]!, {});
    const baselineRun = () => runMeasured([process.execPath, baselineScript], probe.env);
    const baselineExpected = /Input required and not supplied: key/;
    // The machine's load drifts while the bench runs: each bundle run is paired with a baseline run
    // just before it, and the ratio is the median of the pairs' ratios, not of two medians taken minutes apart.
    const allBaseline: StartRun[] = [];
    const rows: string[] = [];
    for (const action of actions) {
      const pairs: { baseline: StartRun; bundle: StartRun }[] = [];
      for (let i = 0; i < RUNS; i += 1) pairs.push({ baseline: await baselineRun(), bundle: await runBundle(action, {}) });
      checkRuns(
        pairs.map((p) => p.baseline),
        baselineExpected,
      );
      checkRuns(
        pairs.map((p) => p.bundle),
        /::error::/,
      );
      allBaseline.push(...pairs.map((p) => p.baseline));
      const ms = median(pairs.map((p) => p.bundle.ms));
      const ratio = median(pairs.map((p) => p.bundle.ms / p.baseline.ms));
      const mb = Math.max(...pairs.map((p) => p.bundle.peakKb)) / 1024;
      rows.push(
        `${action.padEnd(11)} | ${ms.toFixed(0).padStart(10)} | ${`${ratio.toFixed(2)}x`.padStart(32)} | ${mb.toFixed(0).padStart(14)}`,
      );
    }
    const baselineMb = Math.max(...allBaseline.map((r) => r.peakKb)) / 1024;
    console.log(
      `@actions/core + @actions/cache: ${median(allBaseline.map((r) => r.ms)).toFixed(0)} ms to a configuration error, ${baselineMb.toFixed(0)} MiB peak (median of ${allBaseline.length}, ${RUNS} before each bundle's runs)`,
    );
    console.log('bundle      | start (ms) | ratio to core+cache (goal <= 1x) | peak RSS (MiB)');
    for (const row of rows) console.log(row);
  } finally {
    rmSync(dirname(baselineScript), { recursive: true, force: true });
    rmSync(BASELINE_SOURCE, { recursive: true, force: true });
  }
}
