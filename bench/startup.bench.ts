// Each bundle's start-up to a configuration error (no inputs at all), against a bundle of
// @actions/core + @actions/cache alone (what actions/cache's restore step loads) built here with the same
// ncc: median wall time of several runs and peak RSS; goal ≤ 1× for every bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ROOT, runBundle, runMeasured } from '../harness/services/runner.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A bundle that does what actions/cache's restore does before its first network call: read a required input, fail. */
function buildBaseline(): string {
  const source = join(ROOT, '.tmp', 'startup-baseline');
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

export default async function bench(): Promise<void> {
  const baselineScript = buildBaseline();
  try {
    const actions = readdirSync(join(ROOT, 'dist')).filter((name) => existsSync(join(ROOT, 'dist', name, 'index.js')) && name !== 'cli');
    // The runner's environment as the bundles see it; the baseline gets the same.
    const probe = await runBundle(actions[0]!, {});
    const measure = async (run: () => Promise<{ ms: number; peakKb: number; exitCode: number; stdout: string }>, expected: RegExp) => {
      const runs = [];
      for (let i = 0; i < RUNS; i += 1) runs.push(await run());
      // A bundle that crashes on load also exits 1, faster: only the configuration error counts.
      const wrong = runs.find((r) => r.exitCode !== 1 || !expected.test(r.stdout));
      if (wrong) throw new Error(`a start-up run did not end in a configuration error: ${wrong.stdout.slice(-500)}`);
      return { ms: median(runs.map((r) => r.ms)), mb: Math.max(...runs.map((r) => r.peakKb)) / 1024 };
    };
    const baseline = await measure(
      () => runMeasured([process.execPath, baselineScript], probe.env),
      /Input required and not supplied: key/,
    );
    console.log(
      `@actions/core + @actions/cache: ${baseline.ms.toFixed(0)} ms to a configuration error, ${baseline.mb.toFixed(0)} MiB peak (median of ${RUNS})`,
    );
    console.log('bundle      | start (ms) | ratio to core+cache (goal <= 1x) | peak RSS (MiB)');
    for (const action of actions) {
      const result = await measure(() => runBundle(action, {}), /::error::/);
      console.log(
        `${action.padEnd(11)} | ${result.ms.toFixed(0).padStart(10)} | ${`${(result.ms / baseline.ms).toFixed(2)}x`.padStart(32)} | ${result.mb.toFixed(0).padStart(14)}`,
      );
    }
  } finally {
    rmSync(dirname(baselineScript), { recursive: true, force: true });
  }
}
