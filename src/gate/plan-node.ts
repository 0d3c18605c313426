import { join } from 'node:path';

import { type NodeManager, nodeManager, type ProjectFacts } from './detect.js';
import { lintOverride, type PlannedStep, type PlanOptions, shellStep, skipped, step } from './steps.js';

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

export function nodeSteps(facts: ProjectFacts, options: PlanOptions): PlannedStep[] {
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
