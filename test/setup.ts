import { afterAll } from 'vitest';

import { removeRunDirs } from '../harness/services/runner.js';

// Tests never reach beyond this machine: vendor APIs are doubles on 127.0.0.1.
process.env.GITHUB_API_URL ??= 'http://127.0.0.1:9';
process.env.NO_PROXY = '127.0.0.1,localhost';

// What the bundles ran with (runner files, RUNNER_TEMP) goes when the test file is done.
afterAll(removeRunDirs);
