import { rootAction } from '../src/root.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(rootAction);
