import { actions } from '../src/registry.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(actions.deploy!);
