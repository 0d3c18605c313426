import { deployAction } from '../src/deploy.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(deployAction);
