import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll } from 'vitest';

import { removeRunDirs } from '../harness/services/runner.js';

// Tests never reach beyond this machine: vendor APIs are doubles on 127.0.0.1.
process.env.GITHUB_API_URL ??= 'http://127.0.0.1:9';
process.env.NO_PROXY = '127.0.0.1,localhost';

// Every temp dir a test file makes (its own, its services', its bundles') lives under one dir per
// test file, removed when the file is done, so a run leaves nothing in /tmp. It is world-writable
// and sticky like /tmp, since the services' users (postgres, the sshd deploy users) work in there.
// The name is short: ssh's ControlMaster socket path below it must stay under 108 bytes.
const fileTemp = mkdtempSync(join(tmpdir(), 'dkt-'));
chmodSync(fileTemp, 0o1777);
process.env.TMPDIR = fileTemp;

// What the bundles ran with (runner files, RUNNER_TEMP) goes first, then everything else.
afterAll(() => {
  removeRunDirs();
  rmSync(fileTemp, { recursive: true, force: true });
});
