import { join } from 'node:path';

import { hasSection, namesPythonDep, type NodeManager, nodeManager, type ProjectFacts, pythonManager } from './detect.js';

export type Preset = 'python' | 'node' | 'django' | 'custom';
export type StepKind = 'install' | 'lint' | 'typecheck' | 'test' | 'check' | 'build';

/** One step of the gate: a command, or a visible note saying why it does not run. */
export interface PlannedStep {
  id: string;
  title: string;
  kind: StepKind;
  argv?: readonly string[];
  /** Why the step does not run (the repo does not use the tool). */
  skip?: string;
  /** How to read its output into file/line findings. */
  output: 'lint-text' | 'eslint-json' | 'none';
  /** JUnit XML files the step writes (absolute). */
  junit: string[];
  /** A coverage report the step writes (absolute). */
  coverage?: string;
  env?: Record<string, string>;
  /** A note shown even when the step runs (no JUnit report, for instance). */
  note?: string;
}

export interface PlanOptions {
  /** The working directory (absolute). */
  dir: string;
  /** Where reports go (absolute, private to this run). */
  reportDir: string;
  install: boolean;
  /** Coverage is collected when asked for (coverage-min > 0) or when the coverage plugin is a dependency. */
  coverageMin: number;
  lint?: string;
  test?: string;
}

function step(partial: Omit<PlannedStep, 'output' | 'junit'> & Partial<Pick<PlannedStep, 'output' | 'junit'>>): PlannedStep {
  return { output: 'none', junit: [], ...partial };
}

function skipped(id: string, title: string, kind: StepKind, why: string): PlannedStep {
  return step({ id, title, kind, skip: why });
}

/** A user's own command (`lint`, `test` inputs): run by bash like a workflow `run:` line. */
function shellStep(id: string, kind: StepKind, command: string, output: PlannedStep['output']): PlannedStep {
  return step({ id, title: command, kind, argv: ['bash', '-eo', 'pipefail', '-c', command], output });
}

// ---------------------------------------------------------------- python

const PYTHON_RUNNER: Record<string, readonly string[]> = {
  pip: [],
  uv: ['uv', 'run', '--'],
  poetry: ['poetry', 'run'],
  pipenv: ['pipenv', 'run'],
};

function pythonInstall(facts: ProjectFacts): PlannedStep {
  const manager = pythonManager(facts);
  if (manager === 'uv') return step({ id: 'install', title: 'uv sync', kind: 'install', argv: ['uv', 'sync', '--frozen'] });
  if (manager === 'poetry')
    return step({ id: 'install', title: 'poetry install', kind: 'install', argv: ['poetry', 'install', '--no-interaction'] });
  if (manager === 'pipenv')
    return step({ id: 'install', title: 'pipenv install', kind: 'install', argv: ['pipenv', 'install', '--dev', '--deploy'] });
  if (facts.requirementFiles.length === 0)
    return skipped(
      'install',
      'pip install',
      'install',
      'no requirements*.txt, poetry.lock, uv.lock or Pipfile.lock: dependencies are not installed by the gate',
    );
  const argv = ['python3', '-m', 'pip', 'install', ...facts.requirementFiles.flatMap((f) => ['-r', f])];
  return step({ id: 'install', title: `pip install ${facts.requirementFiles.map((f) => `-r ${f}`).join(' ')}`, kind: 'install', argv });
}

const uses = {
  ruff: (f: ProjectFacts) =>
    hasSection(f.pyproject, 'tool.ruff') || f.files.has('ruff.toml') || f.files.has('.ruff.toml') || namesPythonDep(f, 'ruff'),
  flake8: (f: ProjectFacts) =>
    f.files.has('.flake8') || hasSection(f.setupCfg, 'flake8') || hasSection(f.toxIni, 'flake8') || namesPythonDep(f, 'flake8'),
  black: (f: ProjectFacts) => hasSection(f.pyproject, 'tool.black') || namesPythonDep(f, 'black'),
  isort: (f: ProjectFacts) =>
    hasSection(f.pyproject, 'tool.isort') || f.files.has('.isort.cfg') || hasSection(f.setupCfg, 'isort') || namesPythonDep(f, 'isort'),
  mypy: (f: ProjectFacts) =>
    f.files.has('mypy.ini') || f.files.has('.mypy.ini') || hasSection(f.pyproject, 'tool.mypy') || hasSection(f.setupCfg, 'mypy'),
  pytest: (f: ProjectFacts) =>
    namesPythonDep(f, 'pytest') ||
    hasSection(f.pyproject, 'tool.pytest.ini_options') ||
    f.files.has('pytest.ini') ||
    f.files.has('conftest.py') ||
    hasSection(f.setupCfg, 'tool:pytest'),
  pytestCov: (f: ProjectFacts) => namesPythonDep(f, 'pytest-cov'),
};

function pythonSteps(facts: ProjectFacts, options: PlanOptions): PlannedStep[] {
  const run = (argv: string[]) => [...PYTHON_RUNNER[pythonManager(facts)]!, ...argv];
  const steps: PlannedStep[] = [];
  if (options.install) steps.push(pythonInstall(facts));
  if (uses.ruff(facts))
    steps.push(
      step({
        id: 'ruff',
        title: 'ruff check',
        kind: 'lint',
        argv: run(['ruff', 'check', '--output-format=concise', '.']),
        output: 'lint-text',
      }),
    );
  else if (uses.flake8(facts))
    steps.push(step({ id: 'flake8', title: 'flake8', kind: 'lint', argv: run(['flake8', '.']), output: 'lint-text' }));
  else steps.push(skipped('ruff', 'ruff / flake8', 'lint', 'no ruff or flake8 configuration or dependency'));
  steps.push(
    uses.black(facts)
      ? step({ id: 'black', title: 'black --check', kind: 'lint', argv: run(['black', '--check', '.']) })
      : skipped('black', 'black --check', 'lint', 'no [tool.black] and black is not a dependency'),
  );
  steps.push(
    uses.isort(facts)
      ? step({ id: 'isort', title: 'isort --check', kind: 'lint', argv: run(['isort', '--check-only', '--diff', '.']) })
      : skipped('isort', 'isort --check', 'lint', 'no isort configuration and isort is not a dependency'),
  );
  steps.push(
    uses.mypy(facts)
      ? step({
          id: 'mypy',
          title: 'mypy',
          kind: 'typecheck',
          argv: run(['mypy', '--no-error-summary', '--show-column-numbers', '.']),
          output: 'lint-text',
        })
      : skipped('mypy', 'mypy', 'typecheck', 'mypy is not configured (mypy.ini, [tool.mypy] or [mypy] in setup.cfg)'),
  );
  if (options.test) steps.push(shellStep('test', 'test', options.test, 'none'));
  else if (uses.pytest(facts)) {
    const junit = join(options.reportDir, 'pytest.xml');
    const argv = ['pytest', `--junitxml=${junit}`, '-o', 'junit_family=xunit1'];
    let coverage: string | undefined;
    if (uses.pytestCov(facts) || options.coverageMin > 0) {
      coverage = join(options.reportDir, 'coverage.xml');
      argv.push('--cov=.', `--cov-report=xml:${coverage}`, '--cov-report=term');
    }
    steps.push(step({ id: 'pytest', title: 'pytest', kind: 'test', argv: run(argv), junit: [junit], coverage }));
  } else
    steps.push(
      skipped(
        'pytest',
        'pytest',
        'test',
        'pytest is not a dependency and not configured (pytest.ini, conftest.py, [tool.pytest.ini_options])',
      ),
    );
  return lintOverride(steps, options);
}

function djangoSteps(facts: ProjectFacts, options: PlanOptions): PlannedStep[] {
  const steps = pythonSteps(facts, options);
  const run = PYTHON_RUNNER[pythonManager(facts)]!;
  if (!facts.files.has('manage.py')) {
    steps.push(skipped('check', 'manage.py check --deploy', 'check', 'no manage.py in the working directory'));
    steps.push(skipped('migrations', 'makemigrations --check', 'check', 'no manage.py in the working directory'));
    return steps;
  }
  steps.push(
    step({ id: 'check', title: 'manage.py check --deploy', kind: 'check', argv: [...run, 'python3', 'manage.py', 'check', '--deploy'] }),
  );
  steps.push(
    step({
      id: 'migrations',
      title: 'makemigrations --check',
      kind: 'check',
      argv: [...run, 'python3', 'manage.py', 'makemigrations', '--check', '--dry-run'],
    }),
  );
  return steps;
}

// ---------------------------------------------------------------- node

const INSTALL: Record<NodeManager, readonly string[]> = {
  npm: ['npm', 'ci'],
  pnpm: ['pnpm', 'install', '--frozen-lockfile'],
  yarn: ['yarn', 'install', '--frozen-lockfile'],
  'yarn-berry': ['yarn', 'install', '--immutable'],
  bun: ['bun', 'install', '--frozen-lockfile'],
};

const ESLINT_CONFIGS = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts',
  '.eslintrc',
  '.eslintrc.js',
  '.eslintrc.cjs',
  '.eslintrc.json',
  '.eslintrc.yml',
  '.eslintrc.yaml',
];
const NPM_DEFAULT_TEST = /no test specified/;
const SHELL_META = /[|&;<>()$`\\"'*?[\]#~=%{}]/;

function pmCommand(manager: NodeManager): string {
  return manager === 'yarn-berry' ? 'yarn' : manager;
}

function nodeSteps(facts: ProjectFacts, options: PlanOptions): PlannedStep[] {
  const pkg = facts.packageJson;
  if (!pkg) return [skipped('package.json', 'package.json', 'install', 'no package.json in the working directory')];
  const manager = nodeManager(facts);
  const bin = (tool: string) => join(options.dir, 'node_modules', '.bin', tool);
  const steps: PlannedStep[] = [];
  if (options.install) {
    const hasLock = manager !== 'npm' || facts.files.has('package-lock.json') || facts.files.has('npm-shrinkwrap.json');
    steps.push(
      hasLock
        ? step({ id: 'install', title: INSTALL[manager].join(' '), kind: 'install', argv: INSTALL[manager] })
        : step({
            id: 'install',
            title: 'npm install',
            kind: 'install',
            argv: ['npm', 'install', '--no-audit', '--no-fund'],
            note: 'no lockfile: versions are not pinned and nothing is cached',
          }),
    );
  }
  const eslint = ESLINT_CONFIGS.some((f) => facts.files.has(f)) || pkg.eslintConfig || pkg.deps.has('eslint');
  steps.push(
    eslint
      ? step({ id: 'eslint', title: 'eslint', kind: 'lint', argv: [bin('eslint'), '--format', 'json', '.'], output: 'eslint-json' })
      : skipped('eslint', 'eslint', 'lint', 'no eslint configuration and eslint is not a dependency'),
  );
  steps.push(
    facts.files.has('tsconfig.json')
      ? step({
          id: 'tsc',
          title: 'tsc --noEmit',
          kind: 'typecheck',
          argv: [bin('tsc'), '--noEmit', '--pretty', 'false'],
          output: 'lint-text',
        })
      : skipped('tsc', 'tsc --noEmit', 'typecheck', 'no tsconfig.json'),
  );
  if (options.test) steps.push(shellStep('test', 'test', options.test, 'none'));
  else steps.push(nodeTestStep(pkg, manager, options, bin));
  steps.push(
    pkg.scripts.build
      ? step({ id: 'build', title: `${pmCommand(manager)} run build`, kind: 'build', argv: [pmCommand(manager), 'run', 'build'] })
      : skipped('build', 'build', 'build', 'no "build" script in package.json'),
  );
  return lintOverride(steps, options);
}

function nodeTestStep(
  pkg: NonNullable<ProjectFacts['packageJson']>,
  manager: NodeManager,
  options: PlanOptions,
  bin: (tool: string) => string,
): PlannedStep {
  const junit = join(options.reportDir, 'junit.xml');
  const coverageDir = join(options.reportDir, 'coverage');
  const coverage = join(coverageDir, 'coverage-summary.json');
  if (pkg.deps.has('vitest')) {
    const argv = [bin('vitest'), 'run', '--reporter=default', '--reporter=junit', `--outputFile.junit=${junit}`];
    const withCoverage = options.coverageMin > 0 || pkg.deps.has('@vitest/coverage-v8') || pkg.deps.has('@vitest/coverage-istanbul');
    if (withCoverage)
      argv.push(
        '--coverage.enabled=true',
        '--coverage.reporter=json-summary',
        '--coverage.reporter=text',
        `--coverage.reportsDirectory=${coverageDir}`,
      );
    return step({ id: 'vitest', title: 'vitest run', kind: 'test', argv, junit: [junit], coverage: withCoverage ? coverage : undefined });
  }
  if (pkg.deps.has('jest')) {
    const argv = [bin('jest'), '--ci'];
    const junitReporter = pkg.deps.has('jest-junit');
    if (junitReporter) argv.push('--reporters=default', '--reporters=jest-junit');
    const withCoverage = options.coverageMin > 0;
    if (withCoverage)
      argv.push('--coverage', '--coverageReporters=json-summary', '--coverageReporters=text', `--coverageDirectory=${coverageDir}`);
    return step({
      id: 'jest',
      title: 'jest',
      kind: 'test',
      argv,
      junit: junitReporter ? [junit] : [],
      env: junitReporter ? { JEST_JUNIT_OUTPUT_FILE: junit } : undefined,
      coverage: withCoverage ? coverage : undefined,
      note: junitReporter ? undefined : 'add jest-junit to devDependencies for per-test results and annotations',
    });
  }
  const script = pkg.scripts.test;
  if (script && /^node\s+--test(\s|$)/.test(script) && !SHELL_META.test(script.replace(/--[\w-]+=[\w./-]+/g, ''))) {
    const rest = script.trim().split(/\s+/).slice(2);
    const argv = [
      'node',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=junit',
      `--test-reporter-destination=${junit}`,
      ...rest,
    ];
    return step({ id: 'node-test', title: 'node --test', kind: 'test', argv, junit: [junit] });
  }
  if (script && !NPM_DEFAULT_TEST.test(script)) {
    return step({
      id: 'test',
      title: `${pmCommand(manager)} test`,
      kind: 'test',
      argv: [pmCommand(manager), 'test'],
      note: 'the test script is run as is: no JUnit report, so no per-test results',
    });
  }
  return skipped('test', 'tests', 'test', 'no test runner (vitest, jest, node --test) and no "test" script');
}

// ---------------------------------------------------------------- custom and overrides

function customSteps(options: PlanOptions): PlannedStep[] {
  const steps: PlannedStep[] = [];
  steps.push(
    options.lint ? shellStep('lint', 'lint', options.lint, 'lint-text') : skipped('lint', 'lint', 'lint', 'no "lint" command given'),
  );
  steps.push(
    options.test ? shellStep('test', 'test', options.test, 'lint-text') : skipped('test', 'test', 'test', 'no "test" command given'),
  );
  return steps;
}

const LINTERS = new Set(['ruff', 'flake8', 'eslint']);

/** `lint` replaces the preset's linter (ruff/flake8, eslint) when given; formatters and type checks stay. */
function lintOverride(steps: PlannedStep[], options: PlanOptions): PlannedStep[] {
  if (!options.lint) return steps;
  const lint = shellStep('lint', 'lint', options.lint, 'lint-text');
  return steps.map((s) => (LINTERS.has(s.id) ? lint : s));
}

export function planSteps(preset: Preset, facts: ProjectFacts, options: PlanOptions): PlannedStep[] {
  if (preset === 'python') return pythonSteps(facts, options);
  if (preset === 'django') return djangoSteps(facts, options);
  if (preset === 'node') return nodeSteps(facts, options);
  return customSteps(options);
}
