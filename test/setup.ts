import { afterAll } from 'vitest';

import { scopeTempDir } from '../harness/services/temp-scope.js';

// Tests never reach beyond this machine: vendor APIs are doubles on 127.0.0.1.
process.env.GITHUB_API_URL ??= 'http://127.0.0.1:9';
process.env.NO_PROXY = '127.0.0.1,localhost';

// Every temp dir a test file makes lives under one dir per test file, removed when the file is done,
// so a run leaves nothing in /tmp.
afterAll(scopeTempDir('dkt-'));
