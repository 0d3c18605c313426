import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { systemClock } from '../../src/core/clock.js';
import { processExecutor } from '../../src/core/exec.js';
import type { Logger } from '../../src/core/logger.js';
import { cachePaths, cachePlan } from '../../src/gate/cache.js';
import { parseCoverage } from '../../src/gate/coverage.js';
import {
  detectProject,
  hasSection,
  lockfiles,
  namesPythonDep,
  nodeManager,
  type ProjectFacts,
  pythonManager,
} from '../../src/gate/detect.js';
import { type PlannedStep, type PlanOptions, planSteps, type Preset } from '../../src/gate/plan.js';
import { gateProblems } from '../../src/gate/report.js';
import { runStep, type StepResult } from '../../src/gate/run.js';

function facts(partial: Partial<Omit<ProjectFacts, 'files'>> & { files?: string[] } = {}): ProjectFacts {
  return {
    pyproject: '',
    setupCfg: '',
    toxIni: '',
    requirementFiles: [],
    pythonDeps: '',
    ...partial,
    files: new Set(partial.files ?? []),
  };
}

const pkg = (deps: string[] = [], scripts: Record<string, string> = {}) => ({ scripts, deps: new Set(deps), eslintConfig: false });
const OPTIONS: PlanOptions = { dir: '/w', reportDir: '/r', install: true, coverageMin: 0 };
const view = (steps: PlannedStep[]) => steps.map((s) => (s.argv ? s.argv.join(' ') : `SKIP ${s.id}: ${s.skip}`));

describe('python preset', () => {
  it.each<[string, ProjectFacts, Partial<PlanOptions>, string[]]>([
    [
      'ruff, black, isort, mypy and pytest-cov configured, pip requirements',
      facts({
        files: ['requirements.txt', 'requirements-dev.txt', 'mypy.ini'],
        requirementFiles: ['requirements-dev.txt', 'requirements.txt'],
        pyproject: '[tool.ruff]\nline-length = 100\n[tool.black]\n[tool.isort]\nprofile = "black"\n',
        pythonDeps: 'pytest==8.3\npytest-cov>=5\n',
      }),
      {},
      [
        'python3 -m pip install -r requirements-dev.txt -r requirements.txt',
        'ruff check --output-format=concise .',
        'black --check .',
        'isort --check-only --diff .',
        'mypy --no-error-summary --show-column-numbers .',
        'pytest --junitxml=/r/pytest.xml -o junit_family=xunit1 --cov=. --cov-report=xml:/r/coverage.xml --cov-report=term',
      ],
    ],
    [
      'flake8 from setup.cfg, nothing else; no requirements',
      facts({ files: ['setup.cfg', 'conftest.py'], setupCfg: '[flake8]\nmax-line-length = 120\n' }),
      {},
      [
        'SKIP install: no requirements*.txt, poetry.lock, uv.lock or Pipfile.lock: dependencies are not installed by the gate',
        'flake8 .',
        'SKIP black: no [tool.black] and black is not a dependency',
        'SKIP isort: no isort configuration and isort is not a dependency',
        'SKIP mypy: mypy is not configured (mypy.ini, [tool.mypy] or [mypy] in setup.cfg)',
        'pytest --junitxml=/r/pytest.xml -o junit_family=xunit1',
      ],
    ],
    [
      'poetry: tools run through poetry run; coverage asked for by coverage-min',
      facts({
        files: ['poetry.lock', 'pyproject.toml'],
        pyproject: '[tool.poetry.group.dev.dependencies]\nruff = "^0.6"\npytest = "^8"\n',
        pythonDeps: '[tool.poetry.group.dev.dependencies]\nruff = "^0.6"\npytest = "^8"\n',
      }),
      { coverageMin: 80, install: true },
      [
        'poetry install --no-interaction',
        'poetry run ruff check --output-format=concise .',
        'SKIP black: no [tool.black] and black is not a dependency',
        'SKIP isort: no isort configuration and isort is not a dependency',
        'SKIP mypy: mypy is not configured (mypy.ini, [tool.mypy] or [mypy] in setup.cfg)',
        'poetry run pytest --junitxml=/r/pytest.xml -o junit_family=xunit1 --cov=. --cov-report=xml:/r/coverage.xml --cov-report=term',
      ],
    ],
    [
      'uv, no linter, no tests, install off, own lint and test commands',
      facts({ files: ['uv.lock'] }),
      { install: false, lint: 'make lint', test: 'make test' },
      [
        'bash -eo pipefail -c make lint',
        'SKIP black: no [tool.black] and black is not a dependency',
        'SKIP isort: no isort configuration and isort is not a dependency',
        'SKIP mypy: mypy is not configured (mypy.ini, [tool.mypy] or [mypy] in setup.cfg)',
        'bash -eo pipefail -c make test',
      ],
    ],
  ])('%s', (_name, projectFacts, options, expected) => {
    expect(view(planSteps('python', projectFacts, { ...OPTIONS, ...options }))).toEqual(expected);
  });

  it('uv runs tools through uv run and installs with uv sync --frozen', () => {
    const steps = planSteps('python', facts({ files: ['uv.lock', 'pytest.ini'], pythonDeps: 'ruff' }), OPTIONS);
    expect(view(steps)[0]).toBe('uv sync --frozen');
    expect(view(steps)[1]).toBe('uv run -- ruff check --output-format=concise .');
    expect(view(steps).at(-1)).toBe('uv run -- pytest --junitxml=/r/pytest.xml -o junit_family=xunit1');
  });

  it('no test runner at all is a visible skip', () => {
    expect(view(planSteps('python', facts(), OPTIONS)).at(-1)).toBe(
      'SKIP pytest: pytest is not a dependency and not configured (pytest.ini, conftest.py, [tool.pytest.ini_options])',
    );
  });
});

describe('django preset', () => {
  it('adds manage.py check --deploy and makemigrations --check --dry-run', () => {
    const steps = planSteps('django', facts({ files: ['manage.py', 'pytest.ini'] }), { ...OPTIONS, install: false });
    expect(view(steps).slice(-2)).toEqual(['python3 manage.py check --deploy', 'python3 manage.py makemigrations --check --dry-run']);
  });

  it('runs them through the project manager and skips them without manage.py', () => {
    expect(view(planSteps('django', facts({ files: ['manage.py', 'poetry.lock'] }), OPTIONS)).slice(-2)).toEqual([
      'poetry run python3 manage.py check --deploy',
      'poetry run python3 manage.py makemigrations --check --dry-run',
    ]);
    expect(view(planSteps('django', facts(), OPTIONS)).slice(-1)).toEqual(['SKIP migrations: no manage.py in the working directory']);
  });
});

describe('node preset', () => {
  const bin = (tool: string) => `/w/node_modules/.bin/${tool}`;
  it.each<[string, ProjectFacts, Partial<PlanOptions>, string[]]>([
    [
      'npm + eslint + tsc + vitest with coverage + build',
      facts({
        files: ['package-lock.json', 'eslint.config.js', 'tsconfig.json'],
        packageJson: pkg(['eslint', 'typescript', 'vitest', '@vitest/coverage-v8'], { build: 'vite build' }),
      }),
      {},
      [
        'npm ci',
        `${bin('eslint')} --format json .`,
        `${bin('tsc')} --noEmit --pretty false`,
        `${bin('vitest')} run --reporter=default --reporter=junit --outputFile.junit=/r/junit.xml --coverage.enabled=true --coverage.reporter=json-summary --coverage.reporter=text --coverage.reportsDirectory=/r/coverage`,
        'npm run build',
      ],
    ],
    [
      'pnpm + jest with jest-junit, no tsconfig, no eslint',
      facts({ files: ['pnpm-lock.yaml'], packageJson: pkg(['jest', 'jest-junit'], { build: 'tsc' }) }),
      {},
      [
        'pnpm install --frozen-lockfile',
        'SKIP eslint: no eslint configuration and eslint is not a dependency',
        'SKIP tsc: no tsconfig.json',
        `${bin('jest')} --ci --reporters=default --reporters=jest-junit`,
        'pnpm run build',
      ],
    ],
    [
      'yarn berry + node --test script, no build',
      facts({ files: ['yarn.lock', '.yarnrc.yml'], packageJson: pkg([], { test: 'node --test test/' }) }),
      {},
      [
        'yarn install --immutable',
        'SKIP eslint: no eslint configuration and eslint is not a dependency',
        'SKIP tsc: no tsconfig.json',
        'node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=/r/junit.xml test/',
        'SKIP build: no "build" script in package.json',
      ],
    ],
    [
      'yarn classic + a test script that is not a known runner; no install',
      facts({ files: ['yarn.lock'], packageJson: pkg([], { test: 'mocha && karma start' }) }),
      { install: false },
      [
        'SKIP eslint: no eslint configuration and eslint is not a dependency',
        'SKIP tsc: no tsconfig.json',
        'yarn test',
        'SKIP build: no "build" script in package.json',
      ],
    ],
    [
      'no lockfile: npm install with a note; npm default test script is no test',
      facts({ files: ['.eslintrc.json'], packageJson: pkg([], { test: 'echo "Error: no test specified" && exit 1' }) }),
      { lint: 'npm run lint' },
      [
        'npm install --no-audit --no-fund',
        'bash -eo pipefail -c npm run lint',
        'SKIP tsc: no tsconfig.json',
        'SKIP test: no test runner (vitest, jest, node --test) and no "test" script',
        'SKIP build: no "build" script in package.json',
      ],
    ],
  ])('%s', (_name, projectFacts, options, expected) => {
    expect(view(planSteps('node', projectFacts, { ...OPTIONS, ...options }))).toEqual(expected);
  });

  it('jest without jest-junit says why there are no per-test results; env carries the JUnit path with it', () => {
    const [plain] = planSteps('node', facts({ packageJson: pkg(['jest']) }), { ...OPTIONS, install: false }).filter(
      (s) => s.kind === 'test',
    );
    expect(plain?.note).toContain('jest-junit');
    const [withJunit] = planSteps('node', facts({ packageJson: pkg(['jest', 'jest-junit']) }), { ...OPTIONS, install: false }).filter(
      (s) => s.kind === 'test',
    );
    expect(withJunit?.env).toEqual({ JEST_JUNIT_OUTPUT_FILE: '/r/junit.xml' });
    expect(withJunit?.junit).toEqual(['/r/junit.xml']);
  });

  it('a node --test script with shell syntax is run as a script, not rewritten', () => {
    const steps = planSteps('node', facts({ packageJson: pkg([], { test: 'node --test test/ && echo done' }) }), {
      ...OPTIONS,
      install: false,
    });
    expect(view(steps)).toContain('npm test');
  });

  it('no package.json is one visible skip', () => {
    expect(view(planSteps('node', facts(), OPTIONS))).toEqual(['SKIP package.json: no package.json in the working directory']);
  });
});

describe('custom preset', () => {
  it.each<[Partial<PlanOptions>, string[]]>([
    [{ lint: 'ruff check .', test: 'pytest -x' }, ['bash -eo pipefail -c ruff check .', 'bash -eo pipefail -c pytest -x']],
    [{ test: 'make test' }, ['SKIP lint: no "lint" command given', 'bash -eo pipefail -c make test']],
  ])('%j', (options, expected) => {
    expect(view(planSteps('custom' as Preset, facts(), { ...OPTIONS, ...options }))).toEqual(expected);
  });
});

describe('detection', () => {
  it.each([
    ['[tool.ruff]\n', 'tool.ruff', true],
    ['[tool.ruff.lint]\nselect = ["E"]\n', 'tool.ruff', true],
    ['[tool.ruffian]\n', 'tool.ruff', false],
    ['# [tool.black]\n', 'tool.black', false],
    ['[flake8]\nmax-line-length=100\n', 'flake8', true],
  ])('hasSection(%j, %s) = %s', (text, section, found) => {
    expect(hasSection(text, section)).toBe(found);
  });

  it.each([
    ['ruff==0.6.9\n', 'ruff', true],
    ['dev = ["pytest>=8", "pytest-cov"]\n', 'pytest-cov', true],
    ['dev = ["pytest>=8", "pytest-cov"]\n', 'pytest', true],
    ['pytest-django==4\n', 'pytest', false],
    ['black; python_version>"3.8"\n', 'black', true],
    ['blacken-docs\n', 'black', false],
  ])('namesPythonDep(%j, %s) = %s', (deps, name, found) => {
    expect(namesPythonDep(facts({ pythonDeps: deps }), name)).toBe(found);
  });

  it.each([
    [['package-lock.json'], 'npm'],
    [['pnpm-lock.yaml', 'package-lock.json'], 'pnpm'],
    [['yarn.lock'], 'yarn'],
    [['yarn.lock', '.yarnrc.yml'], 'yarn-berry'],
    [['bun.lock'], 'bun'],
    [[], 'npm'],
  ])('node manager for %j is %s', (files, manager) => {
    expect(nodeManager(facts({ files }))).toBe(manager);
  });

  it.each([
    [['uv.lock', 'poetry.lock'], 'uv'],
    [['poetry.lock'], 'poetry'],
    [['Pipfile.lock'], 'pipenv'],
    [['requirements.txt'], 'pip'],
  ])('python manager for %j is %s', (files, manager) => {
    expect(pythonManager(facts({ files }))).toBe(manager);
  });

  it('reads a project directory: requirements files, package.json deps and scripts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-detect-'));
    writeFileSync(join(dir, 'requirements.txt'), 'Django==5.1\n');
    writeFileSync(join(dir, 'requirements-dev.txt'), 'Ruff==0.6\n');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { build: 'vite build' }, devDependencies: { vitest: '4' } }));
    const found = detectProject(dir);
    expect(found.requirementFiles).toEqual(['requirements-dev.txt', 'requirements.txt']);
    expect(namesPythonDep(found, 'ruff')).toBe(true);
    expect(found.packageJson?.deps.has('vitest')).toBe(true);
    expect(lockfiles(found, 'python')).toEqual(['requirements-dev.txt', 'requirements.txt']);
    expect(lockfiles(found, 'node')).toEqual([]);
  });
});

describe('dependency cache key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-cache-'));
  writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3}');
  writeFileSync(join(dir, 'requirements.txt'), 'django==5.1\n');

  it('is stable for the same lockfiles and changes with their contents', () => {
    const a = cachePlan('npm', dir, ['package-lock.json'], 'linux', 'x64', '/home/u')!;
    expect(a).toMatchObject({ paths: ['/home/u/.npm'], restoreKeys: ['deploy-kit-gate-linux-x64-npm-'], lockfiles: ['package-lock.json'] });
    expect(a.key).toMatch(/^deploy-kit-gate-linux-x64-npm-[0-9a-f]{32}$/);
    expect(cachePlan('npm', dir, ['package-lock.json'], 'linux', 'x64', '/home/u')!.key).toBe(a.key);
    writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    expect(cachePlan('npm', dir, ['package-lock.json'], 'linux', 'x64', '/home/u')!.key).not.toBe(a.key);
  });

  it('differs per manager and platform, and there is none without lockfiles', () => {
    const pip = cachePlan('pip', dir, ['requirements.txt'], 'linux', 'x64', '/home/u')!;
    expect(pip.paths).toEqual(['/home/u/.cache/pip']);
    expect(pip.key.startsWith('deploy-kit-gate-linux-x64-pip-')).toBe(true);
    expect(
      cachePlan('pip', dir, ['requirements.txt'], 'darwin', 'arm64', '/home/u')!.key.startsWith('deploy-kit-gate-darwin-arm64-pip-'),
    ).toBe(true);
    expect(cachePlan('npm', dir, [], 'linux', 'x64')).toBeUndefined();
  });

  it.each([
    ['pnpm', '/h/.local/share/pnpm/store'],
    ['yarn', '/h/.cache/yarn'],
    ['yarn-berry', '/w/.yarn/cache'],
    ['uv', '/h/.cache/uv'],
    ['poetry', '/h/.cache/pypoetry'],
  ] as const)('%s caches %s', (manager, path) => {
    expect(cachePaths(manager, '/w', '/h')).toContain(path);
  });
});

describe('coverage and verdict', () => {
  it.each([
    ['<?xml version="1.0" ?>\n<coverage version="7" line-rate="0.8125" branch-rate="0">', 81.25],
    ['{"total":{"lines":{"total":10,"covered":9,"pct":90},"statements":{"pct":88}}}', 90],
    ['{"meta":{},"totals":{"percent_covered":66.6}}', 66.6],
    ['<nothing/>', undefined],
  ])('parseCoverage %#', (text, pct) => {
    expect(parseCoverage(text)).toBe(pct);
  });

  const result = (status: StepResult['status'], title = 'x'): StepResult => ({
    id: title,
    title,
    kind: 'lint',
    status,
    durationMs: 0,
    findings: [],
    suites: [],
    exitCode: status === 'failed' ? 2 : 0,
  });
  const suite = { name: 's', cases: [{ suite: 's', name: 't', classname: '', timeMs: 1, status: 'failed' as const }] };
  it.each<[StepResult[], (typeof suite)[], number | undefined, number, string[]]>([
    [[result('passed'), result('skipped')], [], undefined, 0, []],
    [[result('failed', 'ruff check')], [], undefined, 0, ['ruff check failed (exit 2)']],
    [[result('passed')], [suite], undefined, 0, ['1 of 1 tests failed']],
    [[result('passed')], [], 79.96, 80, ['coverage 79.9% is below coverage-min 80%']],
    [[result('passed')], [], 80, 80, []],
    [[result('passed')], [], undefined, 50, ['no coverage was measured, but coverage-min is 50%']],
  ])('problems %#', (steps, suites, coverage, min, problems) => {
    expect(gateProblems(steps, suites, coverage, min)).toEqual(problems);
  });
});

describe('running a step', () => {
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => lines.push(m),
    warning: (m) => lines.push(m),
    error: (m) => lines.push(m),
    debug: () => undefined,
    mask: () => undefined,
    group: (_n, fn) => fn(),
  };
  const ctx = { exec: processExecutor, logger, clock: systemClock };
  const dir = mkdtempSync(join(tmpdir(), 'dk-step-'));

  it('a tool that is not installed is a skipped step with a note', async () => {
    const result = await runStep(
      {
        id: 'ruff',
        title: 'ruff check',
        kind: 'lint',
        argv: [join(dir, 'node_modules/.bin/ruff'), 'check'],
        output: 'lint-text',
        junit: [],
      },
      dir,
      ctx,
    );
    expect(result).toMatchObject({ status: 'skipped', note: 'ruff is not installed' });
  });

  it('a tool that cannot start is a failed step, not a crash', async () => {
    writeFileSync(join(dir, 'not-executable'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const result = await runStep(
      { id: 'x', title: 'x', kind: 'lint', argv: [join(dir, 'not-executable')], output: 'none', junit: [] },
      dir,
      ctx,
    );
    expect(result.status).toBe('failed');
    expect(result.note).toMatch(/could not start: .*EACCES/);
    expect(gateProblems([result], [], undefined, 0)[0]).toMatch(/^x failed \(could not start: /);
  });

  it('reads findings, a missing JUnit report is a note', async () => {
    const result = await runStep(
      {
        id: 'lint',
        title: 'lint',
        kind: 'lint',
        argv: ['sh', '-c', 'echo "app/x.py:3:1: F401 unused"; exit 1'],
        output: 'lint-text',
        junit: [join(dir, 'none.xml')],
      },
      dir,
      ctx,
    );
    expect(result).toMatchObject({
      status: 'failed',
      exitCode: 1,
      findings: [{ file: 'app/x.py', line: 3, col: 1, rule: 'F401', message: 'unused', kind: 'error' }],
    });
    expect(result.note).toBe(`no JUnit report at ${join(dir, 'none.xml')}`);
  });
});
