// `npm run demo`: a whole deploy, end to end, on this machine. The sample API in examples/app/backend
// goes to a throwaway host (a real OpenSSH sshd on 127.0.0.1 when openssh-server is installed and we
// are root, else the `local` transport), through the same CLI a user runs during an incident:
// deploy v1, deploy v2 (only the changed files cross the wire), a broken v3 that is reverted by its
// health check while v2 keeps serving, then a rollback to v1.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { freePort } from '../harness/services/ports.js';
import { ensureUser, sshdAvailable, type SshServer, startSshd } from '../harness/services/sshd.js';
import { stopSampleApp } from '../harness/services/versioned-app.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli/index.js');
const work = mkdtempSync(join(tmpdir(), 'dk-demo-'));

function step(title: string): void {
  process.stdout.write(`\n\x1b[1m━━ ${title}\x1b[0m\n`);
}

function cli(args: string[], env: Record<string, string> = {}): Promise<number> {
  process.stdout.write(`$ deploy-kit ${args.map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => done(code ?? 1));
  });
}

/** A release source: the sample API with its commit written to REVISION, as a build step would. */
function release(revision: string, edit?: (dir: string) => void): string {
  const dir = join(work, `src-${revision}`);
  cpSync(join(ROOT, 'examples/app/backend'), dir, { recursive: true });
  writeFileSync(join(dir, 'REVISION'), `${revision}\n`);
  edit?.(dir);
  return dir;
}

async function health(url: string): Promise<string> {
  try {
    return await (await fetch(url)).text();
  } catch (error) {
    return `unreachable: ${(error as Error).message}`;
  }
}

let sshd: SshServer | undefined;
let deployRoot: string;
const connection: string[] = [];
const env: Record<string, string> = {};
try {
  if (sshdAvailable() && process.getuid?.() === 0) {
    step('Starting a throwaway host: OpenSSH sshd on 127.0.0.1 with a fresh host key and user key');
    const home = ensureUser('dkdemo');
    sshd = await startSshd();
    deployRoot = join(home, 'deploy-kit-demo');
    rmSync(deployRoot, { recursive: true, force: true });
    writeFileSync(join(work, 'known_hosts'), sshd.knownHosts);
    env.DEPLOY_KIT_SSH_KEY = sshd.privateKey;
    connection.push(
      '--hosts',
      `dkdemo@127.0.0.1:${sshd.port}`,
      '--known-hosts-file',
      join(work, 'known_hosts'),
      '--path',
      'deploy-kit-demo',
    );
    process.stdout.write(`host dkdemo@127.0.0.1:${sshd.port}, pinned host key ${sshd.fingerprint}\n`);
  } else {
    step('openssh-server is not installed (or not root): deploying with the local transport');
    deployRoot = join(work, 'host');
    connection.push('--transport', 'local', '--path', deployRoot);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/health`;
  const deploy = (revision: string, source: string) =>
    cli(
      [
        'backend',
        ...connection,
        '--source',
        source,
        '--shared-dirs',
        'media',
        // A virtualenv per release from requirements.txt; before-switch runs with it, bin/restart starts it.
        '--python-venv',
        'requirements.txt',
        '--before-switch',
        'python -c "import sys; print(\'before-switch runs in\', sys.prefix)"',
        '--restart-command',
        `PORT=${port} bin/restart`,
        '--health-url',
        url,
        '--health-expect',
        `200 ${revision}`,
        '--health-timeout',
        '15s',
        '--keep-releases',
        '3',
      ],
      { ...env, DEPLOY_KIT_SHA: revision },
    );

  step('Deploy v1: the first release, its shared dirs, the atomic current link, a health check');
  if ((await deploy('1111111', release('1111111'))) !== 0) throw new Error('the first deploy failed');
  process.stdout.write(`GET ${url} → ${await health(url)}\n`);

  step('Deploy v2: rsync --link-dest sends only what changed');
  const v2 = release('2222222', (dir) =>
    writeFileSync(
      join(dir, 'static/index.html'),
      readFileSync(join(dir, 'static/index.html'), 'utf8').replace('sample app', 'sample app, v2'),
    ),
  );
  if ((await deploy('2222222', v2)) !== 0) throw new Error('the second deploy failed');
  process.stdout.write(`GET ${url} → ${await health(url)}\n`);

  step('Deploy a broken v3: the health check fails after the switch, so the host reverts to v2');
  const broken = release('3333333', (dir) => writeFileSync(join(dir, 'app.py'), 'raise SystemExit("boom: a bad settings module")\n'));
  const code = await deploy('3333333', broken);
  process.stdout.write(`deploy exit code ${code} (expected 1); GET ${url} → ${await health(url)}\n`);

  step('Rollback: back to the release before the current one, under the same lock, with a health check');
  if (
    (await cli(
      ['rollback', ...connection, '--restart-command', `PORT=${port} bin/restart`, '--health-url', url, '--health-expect', '200 1111111'],
      env,
    )) !== 0
  ) {
    throw new Error('the rollback failed');
  }
  process.stdout.write(`GET ${url} → ${await health(url)}\n`);

  step(`The host's history (${deployRoot}/.deploy-kit/history.jsonl)`);
  process.stdout.write(readFileSync(join(deployRoot, '.deploy-kit/history.jsonl'), 'utf8'));
  step('Demo finished: v1 serving after deploy, redeploy, automatic revert and rollback');
} finally {
  if (deployRoot!) stopSampleApp(deployRoot);
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
}
