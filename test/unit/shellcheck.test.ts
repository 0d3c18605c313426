import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { composeCommands } from '../../src/release/compose.js';
import { finalizeScript } from '../../src/release/finalize.js';
import { appendHistoryScript, finishScript } from '../../src/release/history.js';
import { INSPECT_BODY, inspectScript, removeReleaseScript, runInScript } from '../../src/release/layout.js';
import { acquireLockScript, heartbeatScript, releaseLockScript } from '../../src/release/lock.js';
import { pruneScript } from '../../src/release/prune.js';
import { linkSharedScript } from '../../src/release/shared.js';
import {
  logTailScript,
  probeScript,
  recordActivePortScript,
  startInstanceScript,
  stateScript,
  stopInstanceScript,
} from '../../src/release/switch/bluegreen-scripts.js';
import { switchUpstreamScript } from '../../src/release/switch/nginx.js';
import { switchScript, unlinkCurrentScript } from '../../src/release/switch/symlink.js';
import { SCRIPT_PRELUDE } from '../../src/release/upload/transport.js';
import { venvCommand } from '../../src/release/venv.js';
import { storageScripts } from '../../src/storage/ssh.js';

/**
 * Every remote script the kit generates, rendered with ordinary values and with hostile ones (quotes,
 * `$()`, spaces, newlines, globs), linted by Debian's shellcheck at its default level, as the host
 * receives it: the prelude, then the script, on `bash -s`.
 */

const inputs = {
  representative: {
    root: '/srv/app',
    release: '20260101120000-abc1234',
    dir: 'backend',
    command: 'python manage.py migrate --noinput',
    text: 'deploy',
    path: '/health',
    file: 'backups/db/2026-01-01.dump.zst',
  },
  hostile: {
    root: "/srv/it's $(rm -rf /) `x` *",
    release: '20260101120000-abc1234',
    dir: 'a dir/with "quotes"',
    command: 'echo "$HOME" && printf %s\\n \'$(x)\'; exit 0',
    text: 'line1\nline2 \' " $PATH `id` ; | & *',
    path: "/health?x='1'&y=$(id)",
    file: "backups/it's $(x)/a b.dump",
  },
};

function scripts(v: (typeof inputs)['representative']): Record<string, string> {
  const owner = { token: 't0k3n', owner: v.text, run: `https://example.com/${v.text}`, started: '2026-01-01T00:00:00Z' };
  const compose = composeCommands({ file: 'compose.yaml', project: v.text }, { beforeSwitch: v.command, restartCommand: v.command });
  const nginx = { upstreamFile: `${v.root}/upstream.conf`, testCommand: 'nginx -t', reloadCommand: v.command };
  const file = `${v.root}/${v.file}`;
  const store = {
    stat: storageScripts.stat(file),
    list: storageScripts.list(v.root, v.dir),
    remove: storageScripts.remove(file),
    move: storageScripts.move(file, `${file}.new`),
  };
  return {
    inspect: inspectScript(v.root),
    linkShared: linkSharedScript(v.root, v.release, ['media', v.dir], ['.env', v.dir]),
    runIn: runInScript(v.root, v.dir, v.command, { DATABASE_URL: v.text, PORT: '8001' }),
    switch: switchScript(v.root, v.release),
    unlinkCurrent: unlinkCurrentScript(v.root),
    removeRelease: removeReleaseScript(v.root, v.release),
    prune: pruneScript(v.root, [v.release, v.dir]),
    finalize: finalizeScript(v.root, v.release, ['media', v.dir], ['.env', v.dir]),
    appendHistory: appendHistoryScript(v.root, { event: 'deploy', note: v.text }),
    lockAcquire: acquireLockScript(v.root, owner, 900),
    lockAndInspect: acquireLockScript(v.root, owner, 900, INSPECT_BODY),
    heartbeat: heartbeatScript(v.root, owner.token),
    finish: finishScript(v.root, { event: 'deploy', note: v.text }, [v.release, v.dir], owner.token),
    lockRelease: releaseLockScript(v.root, owner.token),
    blueGreenState: stateScript(v.root),
    blueGreenStart: startInstanceScript(v.root, v.release, 8001, v.command),
    blueGreenStop: stopInstanceScript(v.root, 8001, v.command, 30),
    blueGreenStopDefault: stopInstanceScript(v.root, 8001, undefined, 30),
    blueGreenProbeCurl: probeScript(v.root, 8001, v.path, true),
    blueGreenProbeBash: probeScript(v.root, 8001, v.path, false),
    blueGreenProbeRoutedCurl: probeScript(v.root, 8001, v.path, true, { host: 'shop.example.com', forwardedProto: 'https' }),
    blueGreenProbeRoutedBash: probeScript(v.root, 8001, v.path, false, { host: 'shop.example.com:443', forwardedProto: 'https' }),
    // The command the user's before-switch shell runs first (requirements paths are validated to [A-Za-z0-9._/-]).
    pythonVenv: venvCommand('requirements/prod.txt'),
    blueGreenLogTail: logTailScript(v.root, 8001),
    blueGreenRecord: recordActivePortScript(v.root, 8001),
    blueGreenClear: recordActivePortScript(v.root, undefined),
    nginxSwitch: switchUpstreamScript(nginx, 8002),
    composeBeforeSwitch: runInScript(v.root, 'current', compose.beforeSwitch, {}),
    composeRestart: runInScript(v.root, 'current', compose.restartCommand, {}),
    ...Object.fromEntries(Object.entries(store).map(([name, script]) => [`storage ${name}`, script])),
  };
}

/**
 * These say that a single-quoted value is taken literally (no `$()`, no escapes): that is what
 * withVars's quoting is for, and they fire only on the hostile values. Everything else counts.
 */
const LITERAL_VALUE_NOTES = ['SC2016', 'SC1003', 'SC2089', 'SC2090'];

function shellcheck(script: string): string {
  const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', `--exclude=${LITERAL_VALUE_NOTES.join(',')}`, '-'], {
    input: `#!/bin/bash\n${SCRIPT_PRELUDE}${script}`,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return result.stdout;
}

describe.each(Object.entries(inputs))('remote scripts with %s inputs', (_kind, values) => {
  it.each(Object.entries(scripts(values)))('%s passes shellcheck', (_name, script) => {
    expect(shellcheck(script)).toBe('');
  });
});

describe('the shellcheck test sees what it checks', () => {
  it('reports an unquoted expansion', () => {
    expect(shellcheck('rm -rf $root/releases')).toMatch(/SC2086/);
  });
});
