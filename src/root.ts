import { lazyPipelineAction } from './pipeline/action.js';

/** The root action.yml as its bundle runs it: the stage actions (src/deploy.ts) load once `strategy` is read. */
export const rootAction = lazyPipelineAction(async () => (await import('./deploy.js')).pipelineStages);
