import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { isAbsolute, join, normalize, relative, resolve } from 'node:path';

import { z } from 'zod';

import { defineAction, type RunContext } from '../core/action.js';
import { ConfigurationError, OperationalError } from '../core/errors.js';
import { bool, choice, integer, list, optionalText, text } from '../core/inputs.js';
import { Annotator } from './annotations.js';
import { type CachePlan, cachePlan } from './cache.js';
import { readCoverage } from './coverage.js';
import { detectProject, lockfiles, nodeManager, type ProjectFacts, pythonManager } from './detect.js';
import { failureLocation, type TestSuite, totals } from './junit.js';
import { type PlannedStep, planSteps, type Preset } from './plan.js';
import { gateProblems, writeSummary } from './report.js';
import { readSuites, runSteps, type StepResult } from './run.js';

const schema = z.object({
  preset: choice(['python', 'node', 'django', 'custom'] as const),
  'working-directory': text('.'),
  lint: optionalText(),
  test: optionalText(),
  install: bool(true),
  cache: bool(true),
  'junit-files': list(),
  'coverage-file': optionalText(),
  'coverage-min': integer(0, 0, 100),
});

type GateInputs = z.output<typeof schema>;

function workingDirectory(inputs: GateInputs, workspace: string): { dir: string; rel: string } {
  const dir = resolve(workspace, inputs['working-directory']);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ConfigurationError(
      `input "working-directory": ${JSON.stringify(inputs['working-directory'])} is not a directory in the workspace`,
    );
  return { dir, rel: relative(workspace, dir) || '.' };
}

function cacheFor(preset: Preset, facts: ProjectFacts, dir: string): CachePlan | undefined {
  if (preset === 'custom') return undefined;
  if (preset === 'node') return cachePlan(nodeManager(facts), dir, lockfiles(facts, 'node'), platform(), arch());
  return cachePlan(pythonManager(facts), dir, lockfiles(facts, 'python'), platform(), arch());
}

/** Paths in findings are relative to the working directory; annotations want the repository root. */
function repoPath(file: string, dir: string, workspace: string): string {
  return normalize(relative(workspace, isAbsolute(file) ? file : join(dir, file)));
}

function annotateResults(steps: readonly StepResult[], suites: readonly TestSuite[], dir: string, ctx: RunContext): Annotator {
  const annotator = new Annotator(ctx.logger);
  for (const step of steps) {
    for (const f of step.findings) {
      annotator.add({
        kind: f.kind,
        message: f.message,
        title: `${step.id}${f.rule ? ` ${f.rule}` : ''}`,
        file: repoPath(f.file, dir, ctx.env.workspace),
        line: f.line,
        col: f.col,
      });
    }
  }
  for (const c of suites.flatMap((s) => s.cases)) {
    if (c.status !== 'failed' && c.status !== 'error') continue;
    const at = failureLocation(c, dir);
    const details = (c.details ?? c.message ?? 'failed').split('\n').slice(0, 30).join('\n');
    annotator.add({
      kind: 'error',
      title: `test failed: ${c.suite} › ${c.name}`,
      message: details,
      file: at ? repoPath(at.file, dir, ctx.env.workspace) : undefined,
      line: at?.line,
    });
  }
  return annotator;
}

async function gateIn(
  where: { dir: string; rel: string; facts: ProjectFacts; reportDir: string },
  inputs: GateInputs,
  ctx: RunContext,
): Promise<void> {
  const { dir, rel, facts, reportDir } = where;
  const steps: PlannedStep[] = planSteps(inputs.preset, facts, {
    dir,
    reportDir,
    install: inputs.install,
    coverageMin: inputs['coverage-min'],
    lint: inputs.lint,
    test: inputs.test,
  });
  for (const s of steps) if (s.skip) ctx.logger.info(`skipped ${s.title}: ${s.skip}`);

  const fromCli = ctx.env.eventName === 'cli';
  const installs = steps.some((s) => s.kind === 'install' && s.argv);
  const plan = inputs.cache && installs && !fromCli ? cacheFor(inputs.preset, facts, dir) : undefined;
  // @actions/cache (and the Azure SDK under it) loads only when there is something to cache.
  const cache = plan ? (await import('./actions-cache.js')).actionsCache(ctx.logger) : undefined;
  let cacheNote = inputs.cache && installs ? (fromCli ? 'not used from the CLI' : 'no lockfile, nothing cached') : undefined;
  let restored: string | undefined;
  if (plan && cache) {
    ctx.logger.info(`dependency cache key ${plan.key} (from ${plan.lockfiles.join(', ')})`);
    restored = await cache.restore(plan.paths, plan.key, plan.restoreKeys);
    cacheNote = restored === plan.key ? `hit ${plan.key}` : restored ? `restored ${restored}, will save ${plan.key}` : `miss ${plan.key}`;
  }

  const results = await runSteps(steps, dir, ctx);
  const notes: string[] = [];
  const suites = [
    ...results.flatMap((r) => r.suites),
    ...readSuites(
      inputs['junit-files'].map((f) => resolve(dir, f)),
      notes,
    ),
  ];
  let coverage = results.map((r) => r.coverage).find((c) => c !== undefined);
  if (inputs['coverage-file']) {
    coverage = readCoverage(resolve(dir, inputs['coverage-file']));
    if (coverage === undefined) notes.push(`no readable coverage report at ${inputs['coverage-file']}`);
  }
  for (const note of notes) ctx.logger.warning(note);

  const t = totals(suites);
  ctx.outputs.set('tests', String(t.tests));
  ctx.outputs.set('failures', String(t.failed));
  if (coverage !== undefined) ctx.outputs.set('coverage', coverage.toFixed(1));

  const installed = results.find((r) => r.kind === 'install')?.status === 'passed';
  if (plan && cache && installed && restored !== plan.key) await cache.save(plan.paths, plan.key);

  const annotator = annotateResults(results, suites, dir, ctx);
  const problems = gateProblems(results, suites, coverage, inputs['coverage-min']);
  ctx.outputs.set('passed', String(problems.length === 0));
  const annotationNote = annotator.droppedNote();
  if (annotationNote) ctx.logger.warning(annotationNote);
  writeSummary(ctx.summary, {
    preset: inputs.preset,
    dir: rel,
    steps: results,
    suites,
    coverage,
    coverageMin: inputs['coverage-min'],
    cacheNote,
    annotationNote,
    problems,
  });
  if (problems.length > 0)
    throw new OperationalError(
      `gate failed: ${problems.join('; ')}`,
      'the annotations and the job summary point at the files and tests to fix',
    );
}

export const gateAction = defineAction({
  name: 'gate',
  schema,
  secretInputs: [],
  outputs: ['passed', 'tests', 'failures', 'coverage'],
  async run(inputs, ctx) {
    const { dir, rel } = workingDirectory(inputs, ctx.env.workspace);
    if (inputs.preset === 'custom' && !inputs.lint && !inputs.test)
      throw new ConfigurationError('input "lint" or "test": the custom preset needs at least one command');
    const facts = detectProject(dir);
    // The JUnit and coverage files the steps write go to a scratch directory removed afterwards.
    const reportDir = mkdtempSync(join(ctx.env.tempDir, 'deploy-kit-gate-'));
    try {
      await gateIn({ dir, rel, facts, reportDir }, inputs, ctx);
    } finally {
      rmSync(reportDir, { recursive: true, force: true });
    }
  },
});
