import { runAction } from '../src/runtime/actions.js';
import { sentryAction } from '../src/sentry/action.js';

await runAction(sentryAction);
