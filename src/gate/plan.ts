import type { ProjectFacts } from './detect.js';
import { nodeSteps } from './plan-node.js';
import { djangoSteps, pythonSteps } from './plan-python.js';
import { type PlannedStep, type PlanOptions, type Preset, shellStep, skipped } from './steps.js';

export type { PlannedStep, PlanOptions, Preset, StepKind } from './steps.js';

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

export function planSteps(preset: Preset, facts: ProjectFacts, options: PlanOptions): PlannedStep[] {
  if (preset === 'python') return pythonSteps(facts, options);
  if (preset === 'django') return djangoSteps(facts, options);
  if (preset === 'node') return nodeSteps(facts, options);
  return customSteps(options);
}
