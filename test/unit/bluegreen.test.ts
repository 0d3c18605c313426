import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { freePort } from '../../harness/services/ports.js';
import { ConfigurationError } from '../../src/core/errors.js';
import {
  parseProbe,
  parseState,
  probeScript,
  startInstanceScript,
  stopInstanceScript,
} from '../../src/release/switch/bluegreen-scripts.js';
import { switchConfig, type SwitchInputs } from '../../src/release/switch/inputs.js';
import { NGINX_RELOAD_FAILED, NGINX_TEST_FAILED, switchUpstreamScript, upstreamFileContent } from '../../src/release/switch/nginx.js';
import { restartCommands } from '../../src/release/switch/restart.js';

const base: SwitchInputs = {
  switch: 'blue-green',
  ports: ['8001', '8002'],
  'start-command': 'sudo systemctl enable --now app@$PORT',
  'stop-command': undefined,
  'health-path': '/healthz',
  'nginx-upstream-file': '/etc/nginx/deploy-kit/app-upstream.conf',
  'nginx-test-command': 'nginx -t',
  'nginx-reload-command': 'nginx -s reload',
  'drain-seconds': 10,
};

describe('switch inputs', () => {
  it('builds the blue-green config', () => {
    expect(switchConfig(base)).toEqual({
      kind: 'blue-green',
      ports: [8001, 8002],
      startCommand: base['start-command'],
      stopCommand: undefined,
      healthPath: '/healthz',
      nginx: { upstreamFile: '/etc/nginx/deploy-kit/app-upstream.conf', testCommand: 'nginx -t', reloadCommand: 'nginx -s reload' },
      drainMs: 10_000,
    });
  });

  it.each([
    [{ ports: ['8001'] }, 'input "ports"'],
    [{ ports: ['8001', '8001'] }, 'input "ports"'],
    [{ ports: ['8001', '70000'] }, 'input "ports"'],
    [{ ports: ['8001', 'x'] }, 'input "ports"'],
    [{ 'start-command': undefined }, 'input "start-command"'],
    [{ 'nginx-upstream-file': undefined }, 'input "nginx-upstream-file"'],
    [{ 'nginx-upstream-file': 'deploy-kit/app.conf' }, 'input "nginx-upstream-file"'],
    [{ 'nginx-upstream-file': '/etc/nginx/$(id).conf' }, 'input "nginx-upstream-file"'],
    [{ 'health-path': 'healthz' }, 'input "health-path"'],
    [{ 'health-path': '/a b' }, 'input "health-path"'],
    [{ switch: 'restart' as const }, 'input "start-command": only used with switch: blue-green'],
    [
      { switch: 'restart' as const, 'start-command': undefined, 'nginx-upstream-file': undefined },
      'input "ports": only used with switch: blue-green',
    ],
  ])('refuses %j before connecting', (change, message) => {
    expect(() => switchConfig({ ...base, ...change })).toThrow(ConfigurationError);
    expect(() => switchConfig({ ...base, ...change })).toThrow(message);
  });

  it('accepts restart-command beside blue-green (workers and beat outside the web pair)', () => {
    expect(switchConfig({ ...base, 'restart-command': 'systemctl restart celery' })).toMatchObject({ kind: 'blue-green' });
  });

  it('keeps restart as the default with no blue-green inputs', () => {
    expect(switchConfig({ ...base, switch: 'restart', ports: [], 'start-command': undefined, 'nginx-upstream-file': undefined })).toEqual({
      kind: 'restart',
    });
  });
});

describe('probe and state parsing', () => {
  it('reads status, liveness and a body that may contain the separator', () => {
    expect(parseProbe('alive=yes\nstatus=200\n---\n{"ok":true}\n---\nmore')).toEqual({
      alive: true,
      status: 200,
      body: '{"ok":true}\n---\nmore',
    });
    expect(parseProbe('alive=no\nstatus=000\n---\n')).toEqual({ alive: false, status: 0, body: '' });
  });

  it('reads the active port and whether curl is there', () => {
    expect(parseState('active=8002\ncurl=yes\n')).toEqual({ active: 8002, curl: true });
    expect(parseState('curl=no\n')).toEqual({ active: undefined, curl: false });
  });
});

describe('upstream switch script (run by bash)', () => {
  function setup(testCommand: string | ((file: string) => string), reloadCommand: string) {
    const dir = mkdtempSync(join(tmpdir(), 'dk-upstream-'));
    const file = join(dir, 'app-upstream.conf');
    if (typeof testCommand === 'function') testCommand = testCommand(file);
    writeFileSync(file, upstreamFileContent(8001));
    const run = (port: number) => {
      try {
        return {
          code: 0,
          out: execFileSync('bash', ['--noprofile', '--norc', '-s'], {
            input: `set -euo pipefail\n${switchUpstreamScript({ upstreamFile: file, testCommand, reloadCommand }, port)}`,
            encoding: 'utf8',
            stdio: 'pipe',
          }),
        };
      } catch (error) {
        const e = error as { status: number; stderr: string };
        return { code: e.status, out: e.stderr };
      }
    };
    return { dir, file, run };
  }

  it('replaces the file, tests the new one, reloads and leaves no temp or backup file', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'dk-marker-')), 'reloaded');
    const { dir, file, run } = setup((file) => `grep -q "server 127.0.0.1:8002;" ${file}`, `touch ${marker}`);
    expect(run(8002).code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(upstreamFileContent(8002));
    expect(readdirSync(dir)).toEqual(['app-upstream.conf']);
  });

  it('puts the old file back and does not reload when the test fails', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'dk-marker-')), 'reloaded');
    const { dir, file, run } = setup('echo "nginx: [emerg] unknown directive" >&2; exit 1', `touch ${marker}`);
    const result = run(8002);
    expect(result.code).toBe(NGINX_TEST_FAILED);
    expect(result.out).toContain('unknown directive');
    expect(readFileSync(file, 'utf8')).toBe(upstreamFileContent(8001));
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(dir)).toEqual(['app-upstream.conf']);
  });

  it('puts the old file back when the reload fails', () => {
    const { file, run } = setup('true', 'echo "nginx: [error] invalid PID number" >&2; exit 1');
    const result = run(8002);
    expect(result.code).toBe(NGINX_RELOAD_FAILED);
    expect(result.out).toContain('invalid PID number');
    expect(readFileSync(file, 'utf8')).toBe(upstreamFileContent(8001));
  });
});

describe('instance scripts (run by bash on this machine)', () => {
  const bash = (script: string) =>
    execFileSync('bash', ['--noprofile', '--norc', '-s'], { input: `set -euo pipefail\n${script}`, encoding: 'utf8', stdio: 'pipe' });
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  function layout(): string {
    const root = mkdtempSync(join(tmpdir(), 'dk-instance-'));
    execFileSync('mkdir', ['-p', join(root, 'releases/r1'), join(root, '.deploy-kit')]);
    return root;
  }

  it('starts a command detached in the release with PORT, records its pid and stops its whole process group', async () => {
    const root = layout();
    const port = await freePort();
    const out = bash(startInstanceScript(root, 'r1', port, 'echo "port=$PORT release=$DEPLOY_KIT_RELEASE dir=$PWD"; sleep 300 & wait'));
    const pid = Number(/^started=(\d+)$/m.exec(out)?.[1]);
    expect(alive(pid)).toBe(true);
    expect(readlinkSync(join(root, 'ports', String(port)))).toBe('../releases/r1');
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(join(root, `.deploy-kit/port-${port}.log`), 'utf8')).toContain(
      `port=${port} release=r1 dir=${join(root, 'releases/r1')}`,
    );
    expect(bash(stopInstanceScript(root, port, undefined, 5))).toContain(`stopped=${pid}`);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(root, `.deploy-kit/port-${port}.pid`))).toBe(false);
  });

  it('never signals a pid whose start time differs from the one recorded (a recycled pid)', () => {
    const root = layout();
    const bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
    writeFileSync(join(root, '.deploy-kit/port-9.pid'), `${bystander.pid} 1\n`);
    expect(bash(stopInstanceScript(root, 9, undefined, 1))).toBe('');
    expect(alive(bystander.pid!)).toBe(true);
    bystander.kill('SIGKILL');
  });

  it('refuses a port another process already listens on', async () => {
    const root = layout();
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    expect(() => bash(startInstanceScript(root, 'r1', port, 'sleep 300'))).toThrow(/already in use/);
    server.close();
  });

  it.each([true, false])('probes 127.0.0.1:<port><path> (curl: %s) and reports status and body', async (curl) => {
    const root = layout();
    const server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end(`path ${req.url}`)).listen(
      0,
      '127.0.0.1',
    );
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    // The server lives in this process, so the script must run without blocking the event loop.
    const probe = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile('bash', ['--noprofile', '--norc', '-s'], { encoding: 'utf8' }, (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        );
        child.stdin!.end(`set -euo pipefail\n${probeScript(root, port, path, curl)}`);
      });
    expect(parseProbe(await probe('/healthz'))).toEqual({ alive: false, status: 200, body: 'path /healthz' });
    expect(parseProbe(await probe('/missing')).status).toBe(404);
    await new Promise((r) => server.close(r));
    expect(parseProbe(await probe('/healthz')).status).toBe(0);
  });

  it.each([true, false])('sends health-host as Host and X-Forwarded-Proto when asked (curl: %s)', async (curl) => {
    const root = layout();
    const server = createServer((req, res) =>
      res.writeHead(200).end(`${req.headers.host} ${req.headers['x-forwarded-proto'] ?? '-'}`),
    ).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    const probe = (routing: { host?: string; forwardedProto?: 'https' }) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile('bash', ['--noprofile', '--norc', '-s'], { encoding: 'utf8' }, (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        );
        child.stdin!.end(`set -euo pipefail\n${probeScript(root, port, '/', curl, routing)}`);
      });
    expect(parseProbe(await probe({})).body).toBe(`127.0.0.1:${port} -`);
    expect(parseProbe(await probe({ host: 'shop.example.com', forwardedProto: 'https' })).body).toBe('shop.example.com https');
    await new Promise((r) => server.close(r));
  });
});

describe('restart-command lines', () => {
  it.each([
    ['', []],
    ['sudo systemctl restart app', ['sudo systemctl restart app']],
    ['a\n\n  b  \n', ['a', 'b']],
    ['a \\\n  --flag\nb', ['a \\\n  --flag', 'b']],
  ])('%j → %j', (text, commands) => {
    expect(restartCommands(text)).toEqual(commands);
  });
});
