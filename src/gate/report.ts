import type { Summary } from '../core/summary.js';
import { type TestCase, type TestSuite, totals } from './junit.js';
import type { StepResult } from './run.js';

export interface GateOutcome {
  preset: string;
  dir: string;
  steps: StepResult[];
  suites: TestSuite[];
  coverage?: number;
  coverageMin: number;
  cacheNote?: string;
  annotationNote?: string;
  problems: string[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export function slowestTests(suites: readonly TestSuite[], count = 5): TestCase[] {
  return suites
    .flatMap((s) => s.cases)
    .filter((c) => c.status !== 'skipped')
    .sort((a, b) => b.timeMs - a.timeMs)
    .slice(0, count);
}

/** Why the gate fails: failed steps, failed tests a step did not report, coverage under the minimum. */
export function gateProblems(
  steps: readonly StepResult[],
  suites: readonly TestSuite[],
  coverage: number | undefined,
  coverageMin: number,
): string[] {
  const problems = steps
    .filter((s) => s.status === 'failed')
    .map((s) => `${s.title} failed (${s.exitCode !== undefined ? `exit ${s.exitCode}` : (s.note ?? 'did not run')})`);
  const { failed, tests } = totals(suites);
  if (failed > 0) problems.push(`${failed} of ${tests} tests failed`);
  if (coverageMin > 0) {
    if (coverage === undefined) problems.push(`no coverage was measured, but coverage-min is ${coverageMin}%`);
    else if (coverage < coverageMin)
      problems.push(`coverage ${(Math.floor(coverage * 10) / 10).toFixed(1)}% is below coverage-min ${coverageMin}%`);
  }
  return problems;
}

export function writeSummary(summary: Summary, outcome: GateOutcome): void {
  const passed = outcome.problems.length === 0;
  summary.heading(`deploy-kit gate (${outcome.preset}${outcome.dir === '.' ? '' : ` in ${outcome.dir}`}): ${passed ? 'passed' : 'failed'}`);
  if (!passed) summary.line(outcome.problems.map((p) => `- ${p}`).join('\n'));
  summary.table(
    ['step', 'result', 'time', 'note'],
    outcome.steps.map((s) => [
      s.title,
      s.status,
      s.status === 'skipped' ? '—' : seconds(s.durationMs),
      s.note ?? (s.findings.length > 0 ? `${s.findings.length} findings` : ''),
    ]),
  );
  if (outcome.suites.length > 0) {
    summary.heading('Tests', 3);
    const rows = outcome.suites.map((suite) => {
      const t = totals([suite]);
      return [
        suite.name,
        String(t.passed),
        String(t.failed),
        String(t.skipped),
        seconds(suite.cases.reduce((sum, c) => sum + c.timeMs, 0)),
      ];
    });
    const all = totals(outcome.suites);
    rows.push([
      '**total**',
      String(all.passed),
      String(all.failed),
      String(all.skipped),
      seconds(outcome.suites.flatMap((s) => s.cases).reduce((sum, c) => sum + c.timeMs, 0)),
    ]);
    summary.table(['suite', 'passed', 'failed', 'skipped', 'time'], rows);
    const failing = outcome.suites.flatMap((s) => s.cases).filter((c) => c.status === 'failed' || c.status === 'error');
    if (failing.length > 0) {
      summary.heading('Failing tests', 3);
      summary.table(
        ['test', 'message'],
        failing.slice(0, 20).map((c) => [`${c.suite} › ${c.name}`, (c.message ?? '').slice(0, 200)]),
      );
      if (failing.length > 20) summary.line(`… and ${failing.length - 20} more.`);
    }
    summary.heading('Slowest tests', 3);
    summary.table(
      ['test', 'time'],
      slowestTests(outcome.suites).map((c) => [`${c.suite} › ${c.name}`, seconds(c.timeMs)]),
    );
  }
  if (outcome.coverage !== undefined || outcome.coverageMin > 0) {
    const value = outcome.coverage === undefined ? 'not measured' : `${outcome.coverage.toFixed(1)}%`;
    const verdict =
      outcome.coverageMin > 0
        ? ` (minimum ${outcome.coverageMin}%: ${outcome.coverage !== undefined && outcome.coverage >= outcome.coverageMin ? 'ok' : 'below'})`
        : '';
    summary.line(`Coverage: ${value}${verdict}`);
  }
  if (outcome.annotationNote) summary.line(`Annotations: ${outcome.annotationNote}.`);
  if (outcome.cacheNote) summary.line(`Dependency cache: ${outcome.cacheNote}.`);
}
