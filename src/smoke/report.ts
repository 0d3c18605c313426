import type { Summary } from '../core/summary.js';
import type { CheckResult } from './run.js';

/** A preset that was asked for but not run, and why. */
export interface SkippedPreset {
  name: string;
  reason: string;
}

export interface SmokeReport {
  passed: boolean;
  checks: CheckResult[];
  skipped: SkippedPreset[];
}

export function buildReport(results: CheckResult[], skipped: SkippedPreset[] = []): SmokeReport {
  return { passed: results.every((r) => r.passed), checks: results, skipped };
}

export function writeSummary(summary: Summary, report: SmokeReport): void {
  const passed = report.checks.filter((c) => c.passed).length;
  summary.heading(`deploy-kit smoke: ${passed} of ${report.checks.length} checks passed`);
  summary.table(
    ['check', 'result', 'attempts', 'status', 'latency', 'reason'],
    report.checks.map((c) => [
      c.name,
      c.warning ? 'warning' : c.passed ? 'passed' : 'failed',
      String(c.attempts),
      c.status === undefined ? '—' : String(c.status),
      c.latencyMs === undefined ? '—' : `${c.latencyMs} ms`,
      c.reason,
    ]),
  );
  for (const s of report.skipped) summary.line(`Preset \`${s.name}\` ${s.reason}.`);
}
