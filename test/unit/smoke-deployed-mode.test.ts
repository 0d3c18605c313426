import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { parseInputs } from '../../src/core/inputs.js';
import { SCRIPT_PRELUDE } from '../../src/release/upload/transport.js';
import { rollbackPlan, smokeAction, type SmokeInputs } from '../../src/smoke/action.js';
import { deployedModeScript, modeMismatch, parseDeployedMode } from '../../src/smoke/deployed-mode.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A deploy root with r1 as current, and a PATH without docker or podman (so no compose project is seen). */
function layout(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dk-deployed-mode-'));
  dirs.push(root);
  mkdirSync(join(root, 'releases/r1/deploy'), { recursive: true });
  mkdirSync(join(root, '.deploy-kit'));
  symlinkSync('releases/r1', join(root, 'current'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  return root;
}

const read = (root: string, path = '/usr/bin:/bin') =>
  // As the transports run scripts: after SCRIPT_PRELUDE (set -euo pipefail).
  parseDeployedMode(
    execFileSync('bash', ['--noprofile', '--norc', '-s'], {
      input: SCRIPT_PRELUDE + deployedModeScript(root),
      encoding: 'utf8',
      env: { PATH: path },
    }),
  );

describe('reading how the current release was deployed', () => {
  it('a plain release: nothing recorded', () => {
    expect(read(layout({}))).toEqual({});
  });

  it('blue/green: the active port; swarm: the rendered stack file, wherever compose-file put it', () => {
    const root = layout({ '.deploy-kit/active-port': '8002\n', 'releases/r1/deploy/.deploy-kit-stack.yaml': 'services: {}\n' });
    expect(read(root)).toEqual({ activePort: 8002, stackFile: 'deploy/.deploy-kit-stack.yaml' });
  });

  it('a docker that cannot reach its daemon is no reason to stop', () => {
    const root = layout({ '.deploy-kit/active-port': '8001\n' });
    const bin = mkdtempSync(join(tmpdir(), 'dk-fake-docker-'));
    dirs.push(bin);
    writeFileSync(
      join(bin, 'docker'),
      '#!/bin/bash\necho "permission denied while trying to connect to the Docker daemon socket" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    expect(read(root, `${bin}:/usr/bin:/bin`)).toEqual({ activePort: 8001 });
  });

  it('compose: a running project whose directory is in the deploy root (docker ps labels)', () => {
    const root = layout({});
    const bin = mkdtempSync(join(tmpdir(), 'dk-fake-docker-'));
    dirs.push(bin);
    const abs = execFileSync('realpath', [root], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'docker'), `#!/bin/bash\necho /elsewhere/app\necho ''\necho ${abs}/current/deploy\n`, { mode: 0o755 });
    expect(read(root, `${bin}:/usr/bin:/bin`)).toEqual({ composeDir: `${abs}/current/deploy` });
  });
});

describe('refusing a rollback that would not undo the deploy', () => {
  const blueGreen = { kind: 'blue-green' } as never;
  it.each([
    [{ activePort: 8002 }, { mode: 'release' }, /switch: blue-green[\s\S]*port 8002/, /"switch: blue-green", "ports", "start-command"/],
    [{ stackFile: '.deploy-kit-stack.yaml' }, { mode: 'release' }, /mode: swarm/, /"mode: swarm", "stack"/],
    [{ stackFile: '.deploy-kit-stack.yaml' }, { mode: 'compose' }, /smoke's mode is compose/, /"mode: swarm"/],
    [{ composeDir: '/srv/app/current' }, { mode: 'release' }, /mode: compose/, /"mode: compose", "compose-file"/],
  ] as const)('%j with %j', (deployed, planned, message, hint) => {
    const error = modeMismatch('host', deployed, planned);
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain('Not rolled back');
    expect(error?.hint).toMatch(hint);
    expect(error?.hint).toContain('run the rollback action');
  });

  it.each([
    [{}, { mode: 'release' }],
    [{ activePort: 8002 }, { mode: 'release', switch: blueGreen }],
    [{ stackFile: '.deploy-kit-stack.yaml' }, { mode: 'swarm', switch: { kind: 'swarm' } as never }],
    [{ composeDir: '/srv/app/current' }, { mode: 'compose' }],
    // The user's own restart command (docker compose up in current) starts compose itself.
    [{ composeDir: '/srv/app/current' }, { mode: 'release', restartCommand: 'docker compose up -d' }],
  ] as const)('%j with %j goes ahead', (deployed, planned) => {
    expect(modeMismatch('host', deployed, planned)).toBeUndefined();
  });
});

describe('smoke rollback plan', () => {
  const raw = (values: Record<string, string>) => {
    const given: Record<string, string> = {
      'on-failure': 'rollback',
      hosts: 'deploy@h',
      path: '/srv/shop',
      'insecure-skip-host-key-check': 'true',
      ...values,
    };
    const all: Record<string, string> = {};
    for (const name of Object.keys(smokeAction.schema.shape)) all[name] = given[name] ?? '';
    return parseInputs(smokeAction.schema, all) as SmokeInputs;
  };

  it('mode swarm: the stack from the input or the path, the stack file from the release', () => {
    const plan = rollbackPlan(raw({ url: 'https://x/', mode: 'swarm', 'compose-file': 'deploy/stack.yaml' }))!;
    expect(plan.mode).toBe('swarm');
    expect(plan.config.switch).toMatchObject({
      kind: 'swarm',
      stack: 'shop',
      file: 'deploy/stack.yaml',
      rendered: 'deploy/.deploy-kit-stack.yaml',
    });
    expect(rollbackPlan(raw({ url: 'https://x/', mode: 'swarm', stack: 'web' }))!.config.switch).toMatchObject({ stack: 'web' });
  });

  it.each([
    [
      { mode: 'swarm', switch: 'blue-green', ports: '8001,8002', 'start-command': 's', 'nginx-upstream-file': '/etc/n.conf' },
      'input "switch"',
    ],
    [{ mode: 'swarm', 'restart-command': 'x' }, 'input "restart-command"'],
    [{ stack: 'web' }, 'input "stack": only used with mode: swarm'],
    [{ mode: 'swarm', stack: 'Bad Name' }, 'input "stack"'],
  ])('%j is refused before any request', (values, message) => {
    expect(() => rollbackPlan(raw({ url: 'https://x/', ...values }))).toThrow(message);
  });
});
