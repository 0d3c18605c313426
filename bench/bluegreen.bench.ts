// Zero-downtime check under load: autocannon drives requests through a real nginx (loopback only)
// while 5 consecutive deploys switch versions over a real sshd, with switch: blue-green and with
// switch: restart (stop the app, start the new one on the same port) as the baseline. A third run
// only reloads nginx 5 times under the same load, to show what a bare reload costs keep-alive clients.
// The three run at once (each with its own nginx, deploy root and load) to stay within about a minute.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import autocannon, { type Result } from 'autocannon';

import { makeAppSource, START_COMMAND } from '../harness/services/bluegreen-app.js';
import { type NginxServer, startNginx } from '../harness/services/nginx.js';
import { freePort, waitForPort } from '../harness/services/ports.js';
import { runBundle } from '../harness/services/runner.js';
import { type SshServer, startSshd } from '../harness/services/sshd.js';

const DEPLOYS = 5;
const MIN_REQUESTS = 20_000;
const CONNECTIONS = 10;
/** A steady rate keeps the machine responsive and makes the failure counts comparable between runs. */
const RATE = 1000;
/** Upper bound of one load run; it stops 1 s after the last deploy. */
const MAX_SECONDS = 60;

interface Row {
  mode: string;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  changes: string;
  errorKinds: string;
}

/** A restart the way a plain `systemctl restart app` behaves: stop the old process, then start the new one on the one port. */
function restartCommand(port: number): string {
  return [
    'pidf="$DEPLOY_KIT_ROOT/app.pid"',
    'if [ -f "$pidf" ]; then old=$(cat "$pidf"); kill "$old" 2>/dev/null || true; while kill -0 "$old" 2>/dev/null; do sleep 0.05; done; fi',
    `PORT=${port} setsid ${START_COMMAND.replace(/^exec /, '')} < /dev/null >> "$DEPLOY_KIT_ROOT/app.log" 2>&1 &`,
    'echo $! > "$pidf"',
  ].join('\n');
}

function killAll(root: string): void {
  const pids: number[] = [];
  const state = join(root, '.deploy-kit');
  for (const file of readdirSync(state).filter((f) => /^port-\d+\.pid$/.test(f)))
    pids.push(Number(readFileSync(join(state, file), 'utf8').split(' ')[0]));
  try {
    pids.push(Number(readFileSync(join(root, 'app.pid'), 'utf8')));
  } catch {
    // only the restart run has one
  }
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

/** Runs `changes` (which returns how many succeeded) under a steady autocannon load through nginx. */
async function underLoad(mode: string, nginx: NginxServer, changes: () => Promise<string>): Promise<Row> {
  const errorKinds = new Map<string, number>();
  const started = Date.now();
  let instance: ReturnType<typeof autocannon> | undefined;
  const load = new Promise<Result>((resolve, reject) => {
    instance = autocannon(
      { url: `${nginx.url}/`, connections: CONNECTIONS, pipelining: 1, overallRate: RATE, duration: MAX_SECONDS, timeout: 5 },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('reqError', (error) => errorKinds.set(error.code ?? error.message, (errorKinds.get(error.code ?? error.message) ?? 0) + 1));
  });
  await new Promise((r) => setTimeout(r, 500));
  const done = await changes();
  await new Promise((r) => setTimeout(r, 1000));
  instance?.stop();
  const result = await load;
  return {
    mode,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: (Date.now() - started) / 1000,
    changes: done,
    errorKinds: [...errorKinds].map(([kind, count]) => `${kind} ×${count}`).join(', '),
  };
}

async function deployScenario(mode: 'blue-green' | 'restart', sshd: SshServer): Promise<Row> {
  const ports = [await freePort(), await freePort()];
  const nginx = await startNginx(ports[0]!);
  const root = mkdtempSync(join(tmpdir(), `dk-bench-${mode}-`));
  const connection = { hosts: `root@127.0.0.1:${sshd.port}`, 'ssh-key': sshd.privateKey, 'known-hosts': sshd.knownHosts, path: root };
  const inputs: Record<string, string> =
    mode === 'blue-green'
      ? {
          ...connection,
          switch: 'blue-green',
          ports: ports.join(','),
          'start-command': START_COMMAND,
          'health-path': '/health',
          'nginx-upstream-file': nginx.upstreamFile,
          'nginx-test-command': nginx.testCommand,
          'nginx-reload-command': nginx.reloadCommand,
          'drain-seconds': '1',
        }
      : { ...connection, 'restart-command': restartCommand(ports[0]!) };
  const deployOnce = async (version: string): Promise<boolean> => {
    const run = await runBundle('backend', { ...inputs, source: makeAppSource(version), 'release-id': version });
    if (run.exitCode !== 0)
      console.log(
        `  ${mode} deploy ${version} failed:\n${run.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .slice(-5)
          .join('\n')}`,
      );
    return run.exitCode === 0;
  };
  try {
    await deployOnce('v0');
    return await underLoad(mode, nginx, async () => {
      let ok = 0;
      for (let i = 1; i <= DEPLOYS; i += 1) if (await deployOnce(`v${i}`)) ok += 1;
      return `${ok}/${DEPLOYS} deploys`;
    });
  } finally {
    killAll(root);
    await nginx.stop();
  }
}

/** nginx -s reload 5 times, 2 s apart, with nothing else changing: the cost of a reload itself. */
async function reloadScenario(): Promise<Row> {
  const port = await freePort();
  const nginx = await startNginx(port);
  const source = makeAppSource('v0');
  const app = spawn(process.execPath, ['server.cjs'], { cwd: source, env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  try {
    await waitForPort(port);
    return await underLoad('reload only', nginx, async () => {
      for (let i = 0; i < DEPLOYS; i += 1) {
        await new Promise((r) => setTimeout(r, 2000));
        execFileSync('bash', ['-c', nginx.reloadCommand]);
      }
      return `${DEPLOYS} reloads`;
    });
  } finally {
    app.kill('SIGKILL');
    await nginx.stop();
  }
}

export default async function bench(): Promise<void> {
  const sshd = await startSshd();
  try {
    // Side by side: the three runs share the machine at the same time, so a busy moment hits all of them.
    const rows = await Promise.all([deployScenario('blue-green', sshd), deployScenario('restart', sshd), reloadScenario()]);
    console.log(
      `${DEPLOYS} consecutive deploys under autocannon load (${CONNECTIONS} keep-alive connections, ${RATE} req/s) through nginx on 127.0.0.1`,
    );
    const header = ['switch', 'requests', '2xx', 'non-2xx', 'errors', 'timeouts', 'failed', 'seconds'];
    console.log(`${header.map((h) => h.padStart(11)).join('')}   changes`);
    for (const r of rows) {
      const failed = r.non2xx + r.errors + r.timeouts;
      console.log(
        `${[r.mode, r.requests, r.ok, r.non2xx, r.errors, r.timeouts, failed, r.seconds.toFixed(1)].map((v) => String(v).padStart(11)).join('')}   ${r.changes}`,
      );
    }
    for (const r of rows) if (r.errorKinds) console.log(`${r.mode} errors: ${r.errorKinds}`);
    const [bg, restart] = rows as [Row, Row, Row];
    const failed = (r: Row) => r.non2xx + r.errors + r.timeouts;
    const ratio = failed(bg) === 0 ? 'blue-green failed none' : `restart failed ${(failed(restart) / failed(bg)).toFixed(0)}× as many`;
    console.log(
      `failed requests: blue-green ${failed(bg)} (non-2xx ${bg.non2xx}), restart ${failed(restart)} (non-2xx ${restart.non2xx}); ${ratio}`,
    );
    if (bg.requests < MIN_REQUESTS)
      console.log(`note: the blue-green run drove ${bg.requests} requests, fewer than the ${MIN_REQUESTS} aimed for`);
  } finally {
    await sshd.stop();
  }
}
