import { existsSync, readFileSync } from 'node:fs';

import type { RunContext } from '../core/action.js';
import { errorMessage, ToolNotFoundError } from '../core/errors.js';
import { readCoverage } from './coverage.js';
import { parseJUnit, type TestSuite } from './junit.js';
import { type Finding, parseEslintJson, parseLintText } from './lint.js';
import type { PlannedStep } from './plan.js';

export interface StepResult {
  id: string;
  title: string;
  kind: PlannedStep['kind'];
  status: 'passed' | 'failed' | 'skipped';
  note?: string;
  durationMs: number;
  exitCode?: number;
  findings: Finding[];
  suites: TestSuite[];
  coverage?: number;
}

/** The suites in the JUnit files that exist; a missing or unreadable file is a note, not a failure. */
export function readSuites(files: readonly string[], notes: string[]): TestSuite[] {
  const suites: TestSuite[] = [];
  for (const file of files) {
    if (!existsSync(file)) {
      notes.push(`no JUnit report at ${file}`);
      continue;
    }
    try {
      suites.push(...parseJUnit(readFileSync(file, 'utf8')));
    } catch (error) {
      notes.push(`unreadable JUnit report ${file}: ${errorMessage(error)}`);
    }
  }
  return suites;
}

/** Runs one planned step in `dir`; a missing tool is a skipped step with a note, never a crash. */
export async function runStep(step: PlannedStep, dir: string, ctx: Pick<RunContext, 'exec' | 'logger' | 'clock'>): Promise<StepResult> {
  const base = { id: step.id, title: step.title, kind: step.kind, findings: [], suites: [] };
  if (!step.argv) return { ...base, status: 'skipped', note: step.skip, durationMs: 0 };
  const started = ctx.clock.now();
  return ctx.logger.group(step.title, async () => {
    let result;
    try {
      result = await ctx.exec.run(step.argv!, { cwd: dir, env: step.env });
    } catch (error) {
      const tool = step.argv![0]!.split('/').pop();
      if (error instanceof ToolNotFoundError) {
        ctx.logger.info(`${tool} is not installed: step skipped`);
        return { ...base, status: 'skipped' as const, note: `${tool} is not installed`, durationMs: ctx.clock.now() - started };
      }
      // Could not start at all (permissions, a bad interpreter): a failed step, and the others still run.
      const message = errorMessage(error);
      ctx.logger.error(`${tool} could not start: ${message}`);
      return { ...base, status: 'failed' as const, note: `could not start: ${message}`, durationMs: ctx.clock.now() - started };
    }
    const output = `${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`;
    if (step.output !== 'eslint-json' && output.trim()) ctx.logger.info(output.trimEnd());
    const findings =
      step.output === 'lint-text' ? parseLintText(output) : step.output === 'eslint-json' ? parseEslintJson(result.stdout, dir) : [];
    if (step.output === 'eslint-json') {
      for (const f of findings) ctx.logger.info(`${f.file}:${f.line}:${f.col ?? 0}: ${f.kind} ${f.message}${f.rule ? ` (${f.rule})` : ''}`);
      if (result.stderr.trim()) ctx.logger.info(result.stderr.trimEnd());
    }
    const notes = step.note ? [step.note] : [];
    const suites = readSuites(step.junit, notes);
    const coverage = step.coverage ? readCoverage(step.coverage) : undefined;
    if (step.coverage && coverage === undefined) notes.push(`no coverage report at ${step.coverage}`);
    return {
      ...base,
      status: result.exitCode === 0 ? ('passed' as const) : ('failed' as const),
      exitCode: result.exitCode,
      note: notes.join('; ') || undefined,
      durationMs: ctx.clock.now() - started,
      findings,
      suites,
      coverage,
    };
  });
}

/** Runs the steps in order; after a failed install the rest cannot work and are skipped with a note. */
export async function runSteps(
  steps: readonly PlannedStep[],
  dir: string,
  ctx: Pick<RunContext, 'exec' | 'logger' | 'clock'>,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let installFailed = false;
  for (const step of steps) {
    if (installFailed && step.argv) {
      results.push({
        id: step.id,
        title: step.title,
        kind: step.kind,
        status: 'skipped',
        note: 'dependencies did not install',
        durationMs: 0,
        findings: [],
        suites: [],
      });
      continue;
    }
    const result = await runStep(step, dir, ctx);
    if (step.kind === 'install' && result.status === 'failed') installFailed = true;
    results.push(result);
  }
  return results;
}
