import type { Summary } from '../core/summary.js';
import type { CheckResult } from './run.js';

export interface SmokeReport {
  passed: boolean;
  checks: CheckResult[];
}

export function buildReport(results: CheckResult[]): SmokeReport {
  return { passed: results.every((r) => r.passed), checks: results };
}

export function writeSummary(summary: Summary, report: SmokeReport): void {
  const passed = report.checks.filter((c) => c.passed).length;
  summary.heading(`deploy-kit smoke: ${passed} of ${report.checks.length} checks passed`);
  summary.table(
    ['check', 'result', 'attempts', 'status', 'latency', 'reason'],
    report.checks.map((c) => [
      c.name,
      c.passed ? 'passed' : 'failed',
      String(c.attempts),
      c.status === undefined ? '—' : String(c.status),
      c.latencyMs === undefined ? '—' : `${c.latencyMs} ms`,
      c.reason,
    ]),
  );
}
