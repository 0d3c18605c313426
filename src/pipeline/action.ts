import { z } from 'zod';

import { type ActionDefinition, defineAction, type RunContext } from '../core/action.js';
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { choice, content, parseInputs } from '../core/inputs.js';
import { maskSecret } from '../core/logger.js';
import type { parseBlock as ParseBlock } from './blocks.js';

/** The chain each strategy runs, in order; `required` stages run even without a block of inputs. */
const STRATEGIES = {
  monolithic: { stages: ['gate', 'migrate', 'backend', 'smoke', 'sentry'], required: ['backend'] },
  separated: { stages: ['gate', 'migrate', 'backend', 'frontend', 'smoke', 'sentry'], required: ['backend', 'frontend'] },
  containerized: { stages: ['gate', 'image', 'migrate', 'backend', 'smoke', 'sentry'], required: ['image', 'backend'] },
} as const;

type Strategy = keyof typeof STRATEGIES;
export const STAGES = ['gate', 'image', 'migrate', 'backend', 'frontend', 'smoke', 'sentry'] as const;

/** Secrets are separate inputs (so `${{ secrets.X }}` never sits inside a YAML block) and fill every stage that takes them. */
const PIPELINE_SECRETS = ['ssh-key', 'token', 'database-url', 'github-token', 'password', 'sentry-token'] as const;

const schema = z.object({
  strategy: choice(Object.keys(STRATEGIES) as Strategy[]),
  ...Object.fromEntries(STAGES.map((stage) => [stage, content()])),
  ...Object.fromEntries(PIPELINE_SECRETS.map((secret) => [secret, content()])),
}) as unknown as z.ZodObject<Record<string, z.ZodType<unknown, string>>>;

interface PlannedStage {
  name: string;
  definition: ActionDefinition;
  inputs: Record<string, unknown>;
}

/** Parses every stage's inputs before any stage runs, so a bad smoke input fails before the deploy. */
function plan(
  raw: Record<string, string | undefined>,
  strategy: Strategy,
  stages: Record<string, ActionDefinition>,
  parseBlock: typeof ParseBlock,
  ctx: RunContext,
): PlannedStage[] {
  const chain = STRATEGIES[strategy];
  const planned: PlannedStage[] = [];
  for (const name of chain.stages) {
    const block = raw[name];
    if (!block && !(chain.required as readonly string[]).includes(name)) continue;
    const definition = stages[name];
    if (!definition) throw new ConfigurationError(`input "${name}": this build of deploy-kit has no ${name} action`);
    const known = Object.keys(definition.schema.shape);
    const values = parseBlock(name, block ?? '', known);
    for (const secret of PIPELINE_SECRETS) if (raw[secret] && known.includes(secret) && !values[secret]) values[secret] = raw[secret]!;
    for (const secret of definition.secretInputs) if (values[secret]) maskSecret(ctx.logger, values[secret]!);
    const complete = Object.fromEntries(known.map((key) => [key, values[key] ?? '']));
    try {
      planned.push({ name, definition, inputs: parseInputs(definition.schema, complete) });
    } catch (error) {
      throw new ConfigurationError(`${name}: ${errorMessage(error)}`);
    }
  }
  return planned;
}

type Stages = Record<string, ActionDefinition>;

function definePipeline(outputs: readonly string[], loadStages: () => Promise<Stages>): ActionDefinition {
  return defineAction({
    name: 'deploy',
    schema,
    secretInputs: PIPELINE_SECRETS,
    outputs,
    async run(inputs, ctx) {
      const raw = inputs as Record<string, string | undefined>;
      // The stage actions and the YAML parser load once strategy and the secrets are read.
      const [stages, { parseBlock }] = await Promise.all([loadStages(), import('./blocks.js')]);
      const planned = plan(raw, raw.strategy as Strategy, stages, parseBlock, ctx);
      ctx.logger.info(`strategy ${raw.strategy}: ${planned.map((s) => s.name).join(' → ')}`);
      // Each stage cleans up in its own finally (connections closed, key and work dirs removed).
      for (const stage of planned) {
        const stageCtx: RunContext = { ...ctx, outputs: { set: (name, value) => ctx.outputs.set(`${stage.name}-${name}`, value) } };
        await ctx.logger.group(`deploy-kit ${stage.name}`, () => stage.definition.run(stage.inputs, stageCtx));
      }
    },
  });
}

/** The root action: one strategy's whole chain in one step, calling each action's own code in-process. */
export function pipelineAction(stages: Stages): ActionDefinition {
  const outputs = STAGES.flatMap((stage) => (stages[stage]?.outputs ?? []).map((output) => `${stage}-${output}`));
  return definePipeline(outputs, () => Promise.resolve(stages));
}

/**
 * The root action as its bundle runs it (src/root.ts): `loadStages` brings every stage's modules in
 * once the run starts, so a bad strategy fails before any of them load. It runs only: the outputs it
 * documents are `pipelineAction`'s, in the registry, which the tests check against action.yml.
 */
export function lazyPipelineAction(loadStages: () => Promise<Stages>): ActionDefinition {
  return definePipeline([], loadStages);
}
