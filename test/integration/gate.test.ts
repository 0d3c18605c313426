import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ROOT, runBundle } from '../../harness/services/runner.js';
import { cachePlan } from '../../src/gate/cache.js';

const FIXTURES = join(ROOT, 'test/fixtures/gate');

/** A fresh workspace with the fixture copied to `into` (a monorepo folder or the root). */
function workspace(fixture: string, into = '.'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-gate-'));
  cpSync(join(FIXTURES, fixture), join(dir, into), { recursive: true });
  return dir;
}

function hasPytest(): boolean {
  try {
    execFileSync('pytest', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The workflow commands the bundle printed for annotations: ::error file=...,line=...::message */
function annotations(stdout: string): { kind: string; props: Record<string, string>; message: string }[] {
  return [...stdout.matchAll(/^::(error|warning|notice) ([^:]*)::(.*)$/gm)].map((m) => ({
    kind: m[1]!,
    props: Object.fromEntries(m[2]!.split(',').map((p) => [p.slice(0, p.indexOf('=')), decodeURIComponent(p.slice(p.indexOf('=') + 1))])),
    message: decodeURIComponent(m[3]!),
  }));
}

describe('gate bundle', () => {
  it.skipIf(!hasPytest())(
    'python preset in a monorepo folder: lint error and failing test annotated on the right file and line, unused tools skipped with a note',
    async () => {
      const ws = workspace('python-app', 'backend');
      const run = await runBundle(
        'gate',
        { preset: 'python', 'working-directory': 'backend', lint: 'python3 tools/lint.py shop' },
        { cwd: ws },
      );
      expect(run.exitCode).toBe(1);
      expect(run.outputs).toMatchObject({ passed: 'false', tests: '3', failures: '1' });
      const notes = annotations(run.stdout);
      expect(notes).toContainEqual({
        kind: 'error',
        props: { title: 'lint F401', file: 'backend/shop/prices.py', line: '1', col: '1' },
        message: "'os' imported but unused",
      });
      const failed = notes.find((a) => a.props.title === 'test failed: pytest › test_vat');
      expect(failed?.props).toMatchObject({ file: 'backend/tests/test_prices.py', line: '13' });
      expect(failed?.message).toContain('assert 21.0 == 20');
      expect(run.summary).toContain('deploy-kit gate (python in backend): failed');
      expect(run.summary).toMatch(/\| black --check \| skipped \| — \| no \[tool\.black\] and black is not a dependency \|/);
      expect(run.summary).toMatch(/\| mypy \| skipped \| — \| mypy is not configured/);
      expect(run.summary).toMatch(/\| pip install \| skipped \| — \| no requirements\*\.txt/);
      expect(run.summary).toMatch(/\| pytest \| 2 \| 1 \| 0 \|/);
      expect(run.summary).toContain('Slowest tests');
      expect(run.stdout).toContain('gate failed: python3 tools/lint.py shop failed (exit 1); pytest failed (exit 1); 1 of 3 tests failed');
    },
  );

  it('python preset: a configured linter that is not installed is a skipped step, not a crash', async () => {
    const ws = workspace('python-app');
    const run = await runBundle('gate', { preset: 'python', test: 'true' }, { cwd: ws, env: { PATH: '/usr/bin:/bin' } });
    expect(run.summary).toMatch(/\| ruff check \| skipped \| [^|]+ \| ruff is not installed \|/);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ passed: 'true', tests: '0', failures: '0' });
  });

  it('node preset: npm ci from the lockfile with a cache key on it, node --test JUnit, failing test annotated, build run', async () => {
    const ws = workspace('node-app', 'frontend');
    const run = await runBundle('gate', { preset: 'node', 'working-directory': 'frontend' }, { cwd: ws });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ passed: 'false', tests: '2', failures: '1' });
    const key = cachePlan('npm', join(ws, 'frontend'), ['package-lock.json'], platform(), arch())!.key;
    expect(key).toMatch(new RegExp(`^deploy-kit-gate-${platform()}-${arch()}-npm-[0-9a-f]{32}$`));
    expect(run.stdout).toContain(`dependency cache key ${key} (from package-lock.json)`);
    expect(run.summary).toContain(`Dependency cache: miss ${key}.`);
    expect(run.summary).toMatch(/\| npm ci \| passed \|/);
    expect(run.summary).toMatch(/\| eslint \| skipped \| — \| no eslint configuration/);
    expect(run.summary).toMatch(/\| tsc --noEmit \| skipped \| — \| no tsconfig\.json \|/);
    expect(run.summary).toMatch(/\| node --test \| failed \|/);
    expect(run.summary).toMatch(/\| npm run build \| passed \|/);
    const failed = annotations(run.stdout).find((a) => a.props.title?.startsWith('test failed:'));
    expect(failed?.props).toMatchObject({ file: 'frontend/test/cart.test.mjs', line: '10' });
    // The JUnit scratch directory is removed with the step, failed or not.
    expect(readdirSync(run.env.RUNNER_TEMP!).filter((name) => name.startsWith('deploy-kit-gate-'))).toEqual([]);
  });

  it('node preset with TypeScript and vitest: tsc errors and the failing vitest test annotated, JUnit read', async () => {
    const ws = workspace('node-ts', 'web');
    // No registry in tests: the project uses this repository's own typescript and vitest. Its test is
    // price.spec.ts so that this repository's vitest (test/**/*.test.ts) does not run it.
    symlinkSync(join(ROOT, 'node_modules'), join(ws, 'web/node_modules'));
    // The type error is written here, not kept in the fixture, so this repository's own tsc stays clean.
    appendFileSync(
      join(ws, 'web/src/price.ts'),
      '\nexport function label(amount: number): string {\n  const rounded: string = Math.round(amount * 100) / 100;\n  return `${rounded} EUR`;\n}\n',
    );
    const run = await runBundle('gate', { preset: 'node', 'working-directory': 'web', install: 'false' }, { cwd: ws });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ passed: 'false', tests: '2', failures: '1' });
    const notes = annotations(run.stdout);
    expect(notes).toContainEqual({
      kind: 'error',
      props: { title: 'tsc TS2322', file: 'web/src/price.ts', line: '6', col: '9' },
      message: "Type 'number' is not assignable to type 'string'.",
    });
    const failed = notes.find((a) => a.props.title === 'test failed: test/price.spec.ts › withVat > uses the given rate');
    expect(failed?.props).toMatchObject({ file: 'web/test/price.spec.ts', line: '10' });
    expect(failed?.message).toContain('expected 105 to be 106');
    expect(run.summary).toMatch(/\| tsc --noEmit \| failed \|/);
    expect(run.summary).toMatch(/\| vitest run \| failed \|/);
    expect(run.summary).toMatch(/\| test\/price\.spec\.ts \| 1 \| 1 \| 0 \|/);
  });

  it('custom preset: lint findings beyond the platform limit are counted, JUnit suites and coverage below the minimum fail', async () => {
    const ws = workspace('custom');
    const run = await runBundle(
      'gate',
      {
        preset: 'custom',
        lint: 'node lint.mjs',
        test: 'node test.mjs',
        'junit-files': 'reports/junit.xml',
        'coverage-file': 'coverage.xml',
        'coverage-min': '80',
      },
      { cwd: ws },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ passed: 'false', tests: '5', failures: '1', coverage: '72.5' });
    const notes = annotations(run.stdout);
    expect(notes.filter((a) => a.kind === 'error')).toHaveLength(10);
    expect(notes.filter((a) => a.kind === 'warning' && a.props.file)).toHaveLength(2);
    expect(notes).toContainEqual({
      kind: 'warning',
      props: { title: 'lint W291', file: 'src/app.js', line: '40', col: '1' },
      message: 'trailing whitespace',
    });
    expect(run.stdout).toContain('error (not annotated): tests/test_api.py:27: test failed: api › test_orders & totals');
    expect(run.summary).toContain('Annotations: 3 errors not annotated (GitHub shows 10 per kind per step); they are in the log.');
    expect(run.summary).toMatch(/\| api \| 1 \| 1 \| 1 \|/);
    expect(run.summary).toMatch(/\| models \| 2 \| 0 \| 0 \|/);
    expect(run.summary).toMatch(/Slowest tests[\s\S]*\| api › test_orders & totals \| 1\.75 s \|/);
    expect(run.summary).toContain('Coverage: 72.5% (minimum 80%: below)');
    expect(run.stdout).toMatch(/gate failed: .*1 of 5 tests failed; coverage 72\.5%25 is below coverage-min 80%25/);
  });

  it('custom preset passes when the commands pass and coverage meets the minimum', async () => {
    const ws = workspace('custom');
    const run = await runBundle(
      'gate',
      { preset: 'custom', test: 'echo all good', 'coverage-file': 'coverage.xml', 'coverage-min': '70' },
      { cwd: ws },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ passed: 'true', coverage: '72.5' });
    expect(run.summary).toMatch(/\| lint \| skipped \| — \| no "lint" command given \|/);
  });

  it('fails bad inputs before running anything, naming the input', async () => {
    const ws = workspace('custom');
    const noPreset = await runBundle('gate', { test: 'touch ran' }, { cwd: ws });
    expect(noPreset.exitCode).toBe(1);
    expect(noPreset.stdout).toContain('input "preset": expected one of python, node, django, custom');
    const badDir = await runBundle('gate', { preset: 'custom', test: 'touch ran', 'working-directory': 'nope' }, { cwd: ws });
    expect(badDir.stdout).toContain('input "working-directory": "nope" is not a directory');
    const nothing = await runBundle('gate', { preset: 'custom' }, { cwd: ws });
    expect(nothing.stdout).toContain('input "lint" or "test"');
  });
});
