import { join } from 'node:path';

import { hasSection, namesPythonDep, type ProjectFacts, pythonManager } from './detect.js';
import { lintOverride, type PlannedStep, type PlanOptions, shellStep, skipped, step } from './steps.js';

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

export function pythonSteps(facts: ProjectFacts, options: PlanOptions): PlannedStep[] {
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

export function djangoSteps(facts: ProjectFacts, options: PlanOptions): PlannedStep[] {
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
