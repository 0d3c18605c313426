import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { waitFor } from '../../harness/services/bundle-process.js';
import { ROOT } from '../../harness/services/runner.js';

/**
 * The package as `npm install -g github:OWNER/deploy-kit#v1` gets it: `npm pack` of the repository,
 * installed offline with an empty cache into an empty prefix. It must fetch nothing (the CLI bundle is
 * self-contained), so a dependency that slipped back into `dependencies` fails the install here.
 */
let dir: string;
let bin: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dk-package-'));
  const npm = (args: string[]) =>
    execFileSync('npm', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_cache: join(dir, 'cache') } });
  const tarball = npm(['pack', ROOT, '--pack-destination', dir, '--silent']).trim().split('\n').pop()!;
  npm(['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', join(dir, 'prefix'), join(dir, tarball)]);
  bin = join(dir, 'prefix', 'bin', 'deploy-kit');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function deployKit(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(bin, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: dir, ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the installed deploy-kit package', () => {
  it('deploy-kit --version prints package.json version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(deployKit(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('deploy-kit backend --help lists every input of backend/action.yml with its description', () => {
    const metadata = parse(readFileSync(join(ROOT, 'backend/action.yml'), 'utf8')) as {
      inputs: Record<string, { description: string; default?: string }>;
    };
    const run = deployKit(['backend', '--help']);
    expect(run.code).toBe(0);
    for (const [name, spec] of Object.entries(metadata.inputs)) {
      const flag = spec.default ? `  --${name} (default: ${spec.default})\n` : `  --${name}\n`;
      expect(run.stdout).toContain(flag);
      expect(run.stdout).toContain(spec.description.trim().split('\n')[0]!);
    }
  });

  it('deploy-kit deploy --help reads the root action.yml', () => {
    const run = deployKit(['deploy', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  --strategy');
  });

  it('deploys with the local transport', () => {
    const source = join(dir, 'app');
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, 'VERSION'), 'v1');
    const root = join(dir, 'root');
    const run = deployKit(['backend', '--transport', 'local', '--source', source, '--path', root, '--release-id', 'r1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`release=r1\n`);
    expect(readlinkSync(join(root, 'current'))).toBe('releases/r1');
    expect(readFileSync(join(root, 'current', 'VERSION'), 'utf8')).toBe('v1');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s to the CLI mid-deploy (Ctrl-C, a kill): exit 130, current unchanged, lock released, the new release undone',
    async (name) => {
      const root = join(dir, `root-${name}`);
      const source = (version: string) => {
        const path = join(dir, `app-${name}-${version}`);
        mkdirSync(path, { recursive: true });
        writeFileSync(join(path, 'VERSION'), version);
        return path;
      };
      expect(deployKit(['backend', '--transport', 'local', '--source', source('v1'), '--path', root, '--release-id', 'r1']).code).toBe(0);
      const marker = join(dir, `before-switch-${name}`);
      const child = spawn(
        bin,
        [
          'backend',
          '--transport',
          'local',
          '--source',
          source('v2'),
          '--path',
          root,
          '--release-id',
          'r2',
          '--before-switch',
          `touch ${marker}; sleep 20`,
        ],
        { cwd: dir, env: { PATH: process.env.PATH!, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      try {
        await waitFor('the before-switch hook', () => existsSync(marker));
        child.kill(name);
        expect(await exited, output).toBe(130);
      } finally {
        child.kill('SIGKILL');
      }
      expect(output).toContain(`received ${name}: cancelling`);
      expect(readlinkSync(join(root, 'current'))).toBe('releases/r1');
      expect(existsSync(join(root, '.deploy-kit/lock'))).toBe(false);
      expect(readdirSync(join(root, 'releases')).filter((entry) => entry !== 'r1')).toEqual([]);
      const history = readFileSync(join(root, '.deploy-kit/history.jsonl'), 'utf8');
      expect(history).toMatch(/"event":"cancelled".*"release":"r2"|"release":"r2".*"event":"cancelled"/);
    },
    60_000,
  );
});
