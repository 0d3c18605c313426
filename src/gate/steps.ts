/** The gate's plan: the steps a preset runs, as data (what, how, how its output is read). */

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

export function step(partial: Omit<PlannedStep, 'output' | 'junit'> & Partial<Pick<PlannedStep, 'output' | 'junit'>>): PlannedStep {
  return { output: 'none', junit: [], ...partial };
}

export function skipped(id: string, title: string, kind: StepKind, why: string): PlannedStep {
  return step({ id, title, kind, skip: why });
}

/** A user's own command (`lint`, `test` inputs): run by bash like a workflow `run:` line. */
export function shellStep(id: string, kind: StepKind, command: string, output: PlannedStep['output']): PlannedStep {
  return step({ id, title: command, kind, argv: ['bash', '-eo', 'pipefail', '-c', command], output });
}

// ---------------------------------------------------------------- python

const LINTERS = new Set(['ruff', 'flake8', 'eslint']);

/** `lint` replaces the preset's linter (ruff/flake8, eslint) when given; formatters and type checks stay. */
export function lintOverride(steps: PlannedStep[], options: PlanOptions): PlannedStep[] {
  if (!options.lint) return steps;
  const lint = shellStep('lint', 'lint', options.lint, 'lint-text');
  return steps.map((s) => (LINTERS.has(s.id) ? lint : s));
}
