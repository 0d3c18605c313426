import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type GitHubDouble, startGitHub } from '../../harness/doubles/github.js';
import { makeSite, prEvent } from '../../harness/fixtures/frontend.js';
import { type PostgresServer, startPostgres } from '../../harness/services/postgres.js';
import { type BundleRun, ROOT, runBundle, runMeasured } from '../../harness/services/runner.js';
import { type SshServer, startSshd } from '../../harness/services/sshd.js';
import { makeSource } from '../../harness/services/versioned-app.js';

/**
 * The leak matrix of issue #16: every secret input of every action (ssh-key, token, github-token,
 * deploy-hook-url, passwords in database URLs, S3 keys, age identities, registry passwords,
 * heartbeat URLs, URL userinfo) × every sink the kit writes (stdout, stderr, the error message,
 * outputs, state, env, summary, files under RUNNER_TEMP, every file under the deploy root and the
 * backup target, the GitHub double's received comment and status bodies, the vendor's received
 * bodies), with values made of the characters that change a secret's form on the way (quotes,
 * backslashes, %, /, =, :, newlines, a leading dash). Each scenario is built to push the secret into
 * the sinks (a server that echoes what it received, an error that quotes its input, a tool that
 * prints its environment), run as the runner runs a bundle (runBundle) or as a user runs the CLI
 * (dist/cli/index.js), and the sinks are read raw. Only the ::add-mask:: lines are dropped, because
 * they are how the kit hands its secrets to the runner; the test never relies on the runner hiding
 * anything. Files whose purpose is to hold a secret for a tool (the SSH key and known_hosts, an age
 * identity, registry auth, build secrets) are the one exception, named in KEY_FILE.
 */

const VALUES = [
  '-----BEGIN dk-"quoted"-and\\back\\slashed-0001',
  '--p%2Fss/w=rd:colon-0002-%41%zz',
  '-line-one-aaaa-0003\nline-two="bb\\"-0003\nline-three-cc%2f-0003',
  'ünï-çødé:s3cr3t/0004==',
];
const USER = 'deployer';

/** Every form of a secret that counts as a leak, computed here independently of src/core/secrets.ts. */
function leakForms(secret: string, user?: string): string[] {
  const parts = [secret, ...secret.split('\n').filter((line) => line.trim().length >= 8)];
  const forms = new Set<string>();
  for (const part of parts) {
    const encoded = encodeURIComponent(part);
    forms.add(part);
    forms.add(Buffer.from(part).toString('base64'));
    forms.add(encoded);
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()));
    forms.add(JSON.stringify(part).slice(1, -1));
  }
  if (user) {
    forms.add(Buffer.from(`${user}:${secret}`).toString('base64'));
    forms.add(`${user}:${encodeURIComponent(secret)}`);
  }
  return [...forms];
}

/** What each sink holds after a run, read raw. */
type Sinks = Record<string, string>;

/** Files that hold a secret for a tool on purpose (0600, in a private dir, removed by the kit). */
const KEY_FILE = /\/dk-[^/]+\/(id|known_hosts)$|\/dk-age-[^/]+\/identity$|\/dk-image-[^/]+\/(secrets\/|auth\.json$|docker-config\/)/;

/** The text of every regular file under a directory, each headed by its path (symlinks and key files skipped). */
function filesUnder(dir: string | undefined): string {
  if (!dir || !existsSync(dir)) return '';
  const out: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else if (stat.isFile() && !KEY_FILE.test(path) && stat.size < 4_000_000) out.push(`${path}:\n${readFileSync(path, 'utf8')}`);
  };
  walk(dir);
  return out.join('\n');
}

const withoutMasks = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

function bundleSinks(run: BundleRun): Sinks {
  const stdout = withoutMasks(run.stdout);
  return {
    stdout,
    stderr: run.stderr,
    'error message': stdout
      .split('\n')
      .filter((line) => line.startsWith('::error'))
      .join('\n'),
    outputs: readFileSync(run.env.GITHUB_OUTPUT!, 'utf8'),
    state: readFileSync(run.env.GITHUB_STATE!, 'utf8'),
    summary: run.summary,
    env: readFileSync(run.env.GITHUB_ENV!, 'utf8'),
    'RUNNER_TEMP files': filesUnder(run.env.RUNNER_TEMP),
  };
}

let casesTried = 0;
/** Runs where some sink shows *** (the secret got there and was redacted): the scenarios do push secrets out. */
let runsRedacted = 0;
let runs = 0;
const leaks: string[] = [];

function assertNoLeak(scenario: string, sinks: Sinks, secret: string, user?: string): void {
  const forms = leakForms(secret, user);
  for (const [sink, text] of Object.entries(sinks)) {
    casesTried += 1;
    const found = forms.find((form) => text.includes(form));
    if (found !== undefined) leaks.push(`${scenario} → ${sink}: ${JSON.stringify(found)}`);
  }
}

/** A server that answers like a vendor or an app: `/ok` wants the right Basic auth; everything else echoes what it got. */
interface EchoServer {
  url: string;
  bodies: string[];
  close(): Promise<void>;
}

async function startEcho(expectedAuth: () => string): Promise<EchoServer> {
  const bodies: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      const auth = req.headers.authorization ?? '';
      if (req.url?.startsWith('/ok')) {
        const ok = auth === expectedAuth();
        res.writeHead(ok ? 200 : 401, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'who?');
        return;
      }
      const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : auth;
      const message = `refused ${auth} (${decoded}) for ${req.url} with ${body}`;
      if (req.url?.startsWith('/v2/')) {
        // A registry: Basic auth is asked for, then refused with the distribution spec's error body quoting what came.
        res
          .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="leak-matrix"' })
          .end(auth ? JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message, detail: decoded }] }) : '');
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'forbidden', message }, message }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const userinfo = (secret: string) => `${USER}:${encodeURIComponent(secret)}`;
const basic = (secret: string) => `Basic ${Buffer.from(`${USER}:${secret}`).toString('base64')}`;
const GITHUB_TOKEN = 'ghs_leakmatrix0123456789';

let echo: EchoServer;
let github: GitHubDouble;
let pg: PostgresServer;
let sshd: SshServer;
let age: { recipient: string; wrongIdentity: string };
let imageEnv: Record<string, string>;
let current = VALUES[0]!;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-leak-'));
  dirs.push(dir);
  return dir;
};
const echoHost = () => echo.url.slice('http://'.length);

beforeAll(async () => {
  echo = await startEcho(() => basic(current));
  github = await startGitHub({ token: GITHUB_TOKEN });
  pg = await startPostgres();
  sshd = await startSshd();
  pg.psql("CREATE ROLE leak LOGIN CREATEDB PASSWORD 'initial'");
  pg.psql('CREATE DATABASE leak OWNER leak');
  const keys = tempDir();
  execFileSync('age-keygen', ['-o', join(keys, 'right')], { stdio: 'ignore' });
  execFileSync('age-keygen', ['-o', join(keys, 'wrong')], { stdio: 'ignore' });
  age = {
    recipient: execFileSync('age-keygen', ['-y', join(keys, 'right')], { encoding: 'utf8' }).trim(),
    wrongIdentity: readFileSync(join(keys, 'wrong'), 'utf8'),
  };
  const storage = tempDir();
  writeFileSync(join(storage, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/graph"\nrunroot = "${storage}/run"\n`);
  imageEnv = { CONTAINERS_STORAGE_CONF: join(storage, 'storage.conf'), STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' };
  // A busybox-static base image made here, so a RUN step has a shell without pulling anything.
  const base = tempDir();
  mkdirSync(join(base, 'rootfs/bin'), { recursive: true });
  writeFileSync(join(base, 'rootfs/bin/busybox'), readFileSync('/bin/busybox'), { mode: 0o755 });
  symlinkSync('busybox', join(base, 'rootfs/bin/sh'));
  symlinkSync('busybox', join(base, 'rootfs/bin/cat'));
  writeFileSync(join(base, 'Dockerfile'), 'FROM scratch\nCOPY rootfs/ /\n');
  execFileSync('buildah', ['build', '--tag', 'localhost/dk-leak-busybox:latest', base], {
    env: { ...process.env, ...imageEnv },
    stdio: 'ignore',
  });
}, 120_000);

afterAll(async () => {
  await echo?.close();
  await github?.close();
  await pg?.stop();
  await sshd?.stop();
  rmSync(sshd?.dir ?? '', { recursive: true, force: true });
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function bodiesSince(start: { echo: number; github: number }): Sinks {
  return {
    'vendor bodies': echo.bodies.slice(start.echo).join('\n'),
    'GitHub bodies': github.requests
      .slice(start.github)
      .map((r) => r.body.toString('utf8'))
      .join('\n'),
  };
}

const mark = () => ({ echo: echo.bodies.length, github: github.requests.length });

/** The CLI as a user runs it; asynchronously, since the servers it talks to run in this process. */
async function deployKit(args: string[], env: Record<string, string> = {}): Promise<{ code: number; sinks: Sinks }> {
  const temp = tempDir();
  const run = await runMeasured(
    [process.execPath, join(ROOT, 'dist/cli/index.js'), ...args],
    { PATH: process.env.PATH!, HOME: tmpdir(), RUNNER_TEMP: temp, ...env },
    tempDir(),
  );
  // The CLI prints the failure as `<action>: ...` (src/runtime/errors.ts) after the log lines.
  const lines = run.stderr.split('\n');
  const failure = lines.findIndex((line) => line.startsWith(`${args[0]}: `));
  return {
    code: run.exitCode,
    sinks: {
      'CLI stdout': run.stdout,
      'CLI stderr': run.stderr,
      'CLI error message': failure >= 0 ? lines.slice(failure).join('\n') : '',
      'CLI temp files': filesUnder(temp),
    },
  };
}

/** A postgres:// URL for the role whose password is the secret (set just before the run). */
function databaseUrl(secret: string): string {
  pg.psql(`ALTER ROLE leak PASSWORD '${secret.replace(/'/g, "''")}'`);
  return `postgres://leak:${encodeURIComponent(secret)}@127.0.0.1:${pg.port}/leak`;
}

function migrations(): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  writeFileSync(
    join(dir, '0001_items.sql'),
    '-- migrate:up\nCREATE TABLE IF NOT EXISTS items (id int);\n-- migrate:down\nDROP TABLE items;\n',
  );
  return dir;
}

/** An age identity file whose comment lines carry the secret (age reads `#` lines as comments). */
const identityWith = (secret: string) =>
  `${secret
    .split('\n')
    .map((line) => `# ${line}`)
    .join('\n')}\n${age.wrongIdentity}`;

const pem = (secret: string) => `-----BEGIN OPENSSH PRIVATE KEY-----\n${secret}\n-----END OPENSSH PRIVATE KEY-----`;

interface Checked {
  secret: string;
  user?: string;
}

interface Scenario {
  name: string;
  /** The secrets to look for, from the matrix value (default: the value, with `user` for Basic forms). */
  secrets?(value: string): Checked[];
  user?: string;
  run(value: string): Promise<Sinks>;
}

/** The deploy root after a run: history.jsonl, the lock record, every file the kit left there. */
const deployRoot = (root: string): Sinks => ({ 'deploy root files': filesUnder(root) });

const SCENARIOS: Scenario[] = [
  {
    name: 'backend health-url with userinfo that the app accepts (reproduction 2: the check passes)',
    user: USER,
    async run(secret) {
      const root = join(tempDir(), 'root');
      const run = await runBundle('backend', {
        transport: 'local',
        path: root,
        source: makeSource({ 'app.py': 'print(1)\n' }),
        'health-url': `http://${userinfo(secret)}@${echoHost()}/ok`,
        'health-timeout': '5s',
      });
      expect(run.exitCode, run.stdout).toBe(0);
      return { ...bundleSinks(run), ...deployRoot(root) };
    },
  },
  {
    name: 'backend health-url whose server echoes the credentials (revert, history reason, lock record)',
    user: USER,
    async run(secret) {
      const root = join(tempDir(), 'root');
      const source = makeSource({ 'app.py': 'print(1)\n' });
      await runBundle('backend', { transport: 'local', path: root, source, 'release-id': 'r1' });
      const run = await runBundle('backend', {
        transport: 'local',
        path: root,
        source,
        'release-id': 'r2',
        'health-url': `http://${userinfo(secret)}@${echoHost()}/echo`,
        'health-timeout': '1s',
      });
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...deployRoot(root) };
    },
  },
  {
    name: 'backend over ssh to a real sshd: health-url userinfo echoed, revert; history.jsonl and the lock record on the host; the real key',
    secrets: (value) => [{ secret: value, user: USER }, { secret: sshd.privateKey }],
    async run(secret) {
      const root = join(tempDir(), 'root');
      const connection = { hosts: sshd.hostSpec, 'ssh-key': sshd.privateKey, 'known-hosts': sshd.knownHosts, path: root };
      const source = makeSource({ 'app.py': 'print(1)\n' });
      expect((await runBundle('backend', { ...connection, source, 'release-id': 'r1' }, { post: true })).exitCode).toBe(0);
      const run = await runBundle(
        'backend',
        {
          ...connection,
          source,
          'release-id': 'r2',
          'health-url': `http://${userinfo(secret)}@${echoHost()}/echo`,
          'health-timeout': '1s',
        },
        { post: true },
      );
      expect(run.exitCode).toBe(1);
      expect(readFileSync(join(root, '.deploy-kit/history.jsonl'), 'utf8')).toContain('"revert"');
      return { ...bundleSinks(run), ...deployRoot(root) };
    },
  },
  {
    name: 'backend over ssh: an ssh-key beginning with - that ssh cannot load',
    secrets: (value) => [{ secret: pem(value) }],
    async run(secret) {
      const run = await runBundle(
        'backend',
        {
          hosts: 'deploy@127.0.0.1:1',
          path: '/srv/app',
          source: makeSource({ 'app.py': 'print(1)\n' }),
          'ssh-key': pem(secret),
          'insecure-skip-host-key-check': 'true',
        },
        { post: true },
      );
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'backend render token echoed by the vendor',
    async run(secret) {
      const start = mark();
      const run = await runBundle('backend', {
        provider: 'render',
        service: 'srv-leak01',
        token: secret,
        'api-url': echo.url,
        timeout: '5s',
      });
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...bodiesSince(start) };
    },
  },
  {
    name: 'backend render deploy-hook-url whose key the vendor echoes',
    secrets: (value) => [{ secret: value }, { secret: `${echo.url}/deploy/srv-leak02?key=${encodeURIComponent(value)}` }],
    async run(secret) {
      const start = mark();
      const run = await runBundle('backend', {
        provider: 'render',
        'deploy-hook-url': `${echo.url}/deploy/srv-leak02?key=${encodeURIComponent(secret)}`,
        commit: 'a1b2c3d',
      });
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...bodiesSince(start) };
    },
  },
  {
    name: 'rollback render token echoed by the vendor',
    async run(secret) {
      const start = mark();
      const run = await runBundle('rollback', {
        provider: 'render',
        service: 'srv-leak03',
        token: secret,
        'api-url': echo.url,
        timeout: '5s',
      });
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...bodiesSince(start) };
    },
  },
  {
    name: 'rollback over ssh with health-url userinfo and an ssh-key',
    secrets: (value) => [{ secret: pem(value) }, { secret: value, user: USER }],
    async run(secret) {
      const run = await runBundle(
        'rollback',
        {
          hosts: 'deploy@127.0.0.1:1',
          path: '/srv/app',
          'ssh-key': pem(secret),
          'insecure-skip-host-key-check': 'true',
          'health-url': `http://${userinfo(secret)}@${echoHost()}/echo`,
        },
        { post: true },
      );
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'frontend vercel token echoed by the vendor into the PR comment and deployment status (reproduction 3)',
    async run(secret) {
      const start = mark();
      const run = await runBundle(
        'frontend',
        { provider: 'vercel', dir: makeSite(2), token: secret, project: 'shop-web', 'api-url': echo.url, 'github-token': GITHUB_TOKEN },
        { env: { ...prEvent(7), GITHUB_API_URL: github.url } },
      );
      expect(run.exitCode).toBe(1);
      expect(github.requests.length).toBeGreaterThan(start.github);
      return { ...bundleSinks(run), ...bodiesSince(start) };
    },
  },
  {
    name: 'frontend netlify token echoed by the vendor into the PR comment and deployment status',
    async run(secret) {
      const start = mark();
      const run = await runBundle(
        'frontend',
        { provider: 'netlify', dir: makeSite(2), token: secret, site: 'shop', 'api-url': echo.url, 'github-token': GITHUB_TOKEN },
        { env: { ...prEvent(9), GITHUB_API_URL: github.url } },
      );
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...bodiesSince(start) };
    },
  },
  {
    name: 'frontend github-token echoed by the GitHub API',
    async run(secret) {
      const start = mark();
      const run = await runBundle(
        'frontend',
        { provider: 'netlify', dir: makeSite(2), token: 'nf-token-0123456789', site: 'shop', 'api-url': echo.url, 'github-token': secret },
        { env: { ...prEvent(8), GITHUB_API_URL: echo.url } },
      );
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...bodiesSince(start) };
    },
  },
  {
    name: 'frontend over ssh: an ssh-key that ssh cannot load',
    secrets: (value) => [{ secret: pem(value) }],
    async run(secret) {
      const run = await runBundle(
        'frontend',
        {
          provider: 'ssh',
          dir: makeSite(2),
          hosts: 'deploy@127.0.0.1:1',
          path: '/srv/site',
          'ssh-key': pem(secret),
          'insecure-skip-host-key-check': 'true',
        },
        { post: true },
      );
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'migrate database-url password in a pg connection error',
    user: 'leak',
    async run(secret) {
      const run = await runBundle('migrate', {
        tool: 'sql',
        dir: tempDir(),
        'database-url': `postgres://leak:${encodeURIComponent(secret)}@127.0.0.1:1/leak`,
      });
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'migrate tool: sql against a real PostgreSQL whose password is the secret (summary, outputs)',
    user: 'leak',
    async run(secret) {
      const run = await runBundle('migrate', { tool: 'sql', dir: migrations(), 'database-url': databaseUrl(secret) });
      expect(run.exitCode, withoutMasks(run.stdout)).toBe(0);
      return bundleSinks(run);
    },
  },
  {
    name: 'migrate tool: command printing DATABASE_URL and the decoded password, then failing',
    user: 'leak',
    async run(secret) {
      const run = await runBundle('migrate', {
        tool: 'command',
        command: `printenv DATABASE_URL; node -e 'console.log(decodeURIComponent(new URL(process.env.DATABASE_URL).password))'; exit 3`,
        'database-url': databaseUrl(secret),
      });
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'smoke url userinfo echoed in a failing response body',
    user: USER,
    async run(secret) {
      const run = await runBundle('smoke', { url: `http://${userinfo(secret)}@${echoHost()}/echo`, deadline: '1s' });
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'smoke version-url userinfo echoed, url userinfo accepted',
    user: USER,
    async run(secret) {
      const run = await runBundle('smoke', {
        url: `http://${userinfo(secret)}@${echoHost()}/ok`,
        'version-url': `http://${userinfo(secret)}@${echoHost()}/version`,
        'expect-version': '1.2.3',
        deadline: '1s',
      });
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'smoke checks: a YAML error quoting the line with the URL credentials (reproduction 4)',
    user: USER,
    async run(secret) {
      const run = await runBundle('smoke', { checks: `- url: http://${userinfo(secret)}@127.0.0.1:1/x  status: [200\n  - ]: {` });
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'backup s3 secret-access-key and database-url password against an endpoint that echoes',
    user: 'app',
    async run(secret) {
      const start = mark();
      const run = await runBundle('backup', {
        'database-url': `postgres://app:${encodeURIComponent(secret)}@127.0.0.1:1/app`,
        target: 's3',
        bucket: 'backups',
        endpoint: echo.url,
        'force-path-style': 'true',
        region: 'auto',
        'access-key-id': 'AKIALEAKMATRIX0001',
        'secret-access-key': secret,
      });
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...bodiesSince(start) };
    },
  },
  {
    name: 'backup s3 access-key-id the endpoint echoes (it travels in the Authorization header)',
    async run(secret) {
      const start = mark();
      const run = await runBundle('backup', {
        'database-url': databaseUrl('not-the-secret-0000'),
        target: 's3',
        bucket: 'backups',
        endpoint: echo.url,
        'force-path-style': 'true',
        region: 'auto',
        'access-key-id': secret,
        'secret-access-key': 'not-the-secret-either-0000',
      });
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...bodiesSince(start) };
    },
  },
  {
    name: 'backup of a real PostgreSQL (password = secret) to a local target, heartbeat URL echoed; restore with an age identity that does not match',
    secrets: (value) => [
      { secret: value, user: 'leak' },
      { secret: `${echo.url}/ping/${encodeURIComponent(value)}` },
      { secret: identityWith(value) },
    ],
    async run(secret) {
      const start = mark();
      const target = join(tempDir(), 'backups');
      const url = databaseUrl(secret);
      const backup = await runBundle('backup', {
        'database-url': url,
        path: target,
        'age-recipients': age.recipient,
        'heartbeat-url': `${echo.url}/ping/${encodeURIComponent(secret)}`,
      });
      expect(backup.exitCode, backup.stdout).toBe(0);
      const restore = await runBundle('restore', {
        'database-url': url,
        path: target,
        confirm: 'leak',
        'age-identity': identityWith(secret),
      });
      expect(restore.exitCode).toBe(1);
      const sinks: Sinks = { 'backup target files': filesUnder(target), ...bodiesSince(start) };
      for (const [name, text] of Object.entries(bundleSinks(backup))) sinks[`backup ${name}`] = text;
      for (const [name, text] of Object.entries(bundleSinks(restore))) sinks[`restore ${name}`] = text;
      return sinks;
    },
  },
  {
    name: 'image: a registry password the registry echoes on login',
    user: USER,
    async run(secret) {
      const run = await runBundle(
        'image',
        {
          builder: 'buildah',
          context: makeSource({ Dockerfile: 'FROM scratch\nCOPY a /a\n', a: 'a' }),
          images: `${echoHost()}/acme/shop`,
          tags: 'type=raw,value=leak',
          push: 'true',
          username: USER,
          password: secret,
          'tls-verify': 'false',
        },
        { env: imageEnv, post: true },
      );
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'image: a build secret that a RUN step prints to the build log',
    async run(secret) {
      const run = await runBundle(
        'image',
        {
          builder: 'buildah',
          context: makeSource({
            Dockerfile: 'FROM localhost/dk-leak-busybox:latest\nRUN --mount=type=secret,id=token cat /run/secrets/token\n',
          }),
          images: 'localhost/acme/leak',
          tags: 'type=raw,value=leak',
          push: 'false',
          secrets: `token=${secret}`,
        },
        { env: imageEnv, post: true },
      );
      if (!secret.includes('\n')) expect(run.exitCode, run.stdout).toBe(0);
      return bundleSinks(run);
    },
  },
  {
    name: 'deploy (the root action): token for the frontend stage echoed by the vendor',
    async run(secret) {
      const start = mark();
      const root = join(tempDir(), 'root');
      const run = await runBundle('deploy', {
        strategy: 'separated',
        backend: `transport: local\npath: ${root}\nsource: ${makeSource({ 'app.py': 'print(1)\n' })}\n`,
        frontend: `provider: vercel\ndir: ${makeSite(1)}\nproject: shop-web\napi-url: ${echo.url}\n`,
        token: secret,
      });
      expect(run.exitCode).toBe(1);
      return { ...bundleSinks(run), ...deployRoot(root), ...bodiesSince(start) };
    },
  },
  {
    name: 'deploy (the root action): a token written inside a stage block with a YAML error',
    async run(secret) {
      const run = await runBundle('deploy', {
        strategy: 'monolithic',
        backend: `transport: local\ntoken: ${JSON.stringify(secret)}\n  path: [`,
      });
      expect(run.exitCode).toBe(1);
      return bundleSinks(run);
    },
  },
  {
    name: 'CLI: an ssh-key beginning with - and an unknown flag (reproduction 1)',
    secrets: (value) => [{ secret: pem(value) }],
    async run(secret) {
      const run = await deployKit(['backend', '--hosts', '127.0.0.1', '--path', '/srv/app', '--ssh-key', pem(secret), '--colour', 'red']);
      expect(run.code).toBe(1);
      expect(run.sinks['CLI stderr']).toContain('unknown flag --colour');
      return run.sinks;
    },
  },
  {
    name: 'CLI: DEPLOY_KIT_SSH_KEY that ssh cannot load',
    secrets: (value) => [{ secret: pem(value) }],
    async run(secret) {
      const run = await deployKit(
        [
          'backend',
          '--hosts',
          'deploy@127.0.0.1:1',
          '--path',
          '/srv/app',
          '--source',
          makeSource({ a: 'a' }),
          '--insecure-skip-host-key-check',
        ],
        { DEPLOY_KIT_SSH_KEY: pem(secret) },
      );
      expect(run.code).toBe(1);
      return run.sinks;
    },
  },
  {
    name: 'CLI: DEPLOY_KIT_TOKEN echoed by the vendor',
    async run(secret) {
      const start = mark();
      const run = await deployKit(
        ['backend', '--provider', 'render', '--service', 'srv-leak02', '--api-url', echo.url, '--timeout', '5s'],
        {
          DEPLOY_KIT_TOKEN: secret,
        },
      );
      expect(run.code).toBe(1);
      return { ...run.sinks, ...bodiesSince(start) };
    },
  },
  {
    name: 'CLI: --token-file for a frontend whose vendor echoes it',
    async run(secret) {
      const start = mark();
      const file = join(tempDir(), 'token');
      writeFileSync(file, secret);
      const run = await deployKit([
        'frontend',
        '--provider',
        'vercel',
        '--dir',
        makeSite(1),
        '--project',
        'shop',
        '--api-url',
        echo.url,
        '--token-file',
        file,
      ]);
      expect(run.code).toBe(1);
      return { ...run.sinks, ...bodiesSince(start) };
    },
  },
  {
    name: 'CLI: health-url userinfo echoed, history on the host',
    user: USER,
    async run(secret) {
      const root = join(tempDir(), 'root');
      const source = makeSource({ 'app.py': 'print(1)\n' });
      await deployKit(['backend', '--transport', 'local', '--path', root, '--source', source, '--release-id', 'r1']);
      const run = await deployKit([
        'backend',
        '--transport=local',
        `--path=${root}`,
        `--source=${source}`,
        '--release-id=r2',
        `--health-url=http://${userinfo(secret)}@${echoHost()}/echo`,
        '--health-timeout=1s',
      ]);
      expect(run.code).toBe(1);
      return { ...run.sinks, ...deployRoot(root) };
    },
  },
  {
    name: 'CLI: migrate with DEPLOY_KIT_DATABASE_URL (password = secret) against a real PostgreSQL',
    user: 'leak',
    async run(secret) {
      const run = await deployKit(['migrate', '--dir', migrations()], { DEPLOY_KIT_DATABASE_URL: databaseUrl(secret) });
      expect(run.sinks['CLI stdout']).toContain('applied=');
      return run.sinks;
    },
  },
  {
    name: 'CLI: backup with DEPLOY_KIT_SECRET_ACCESS_KEY to an endpoint that echoes',
    async run(secret) {
      const start = mark();
      const run = await deployKit(
        [
          'backup',
          '--target',
          's3',
          '--bucket',
          'b',
          '--endpoint',
          echo.url,
          '--force-path-style',
          '--region',
          'auto',
          '--access-key-id',
          'AKIALEAK02',
        ],
        { DEPLOY_KIT_SECRET_ACCESS_KEY: secret, DEPLOY_KIT_DATABASE_URL: databaseUrl('not-the-secret-0000') },
      );
      expect(run.code).toBe(1);
      return { ...run.sinks, ...bodiesSince(start) };
    },
  },
];

describe('leak matrix: no form of any secret reaches any sink', () => {
  for (const scenario of SCENARIOS) {
    it.each(VALUES.map((value, i) => [i + 1, value]))(
      `${scenario.name}, value %i`,
      async (_i, value) => {
        current = value;
        const sinks = await scenario.run(value);
        runs += 1;
        if (Object.values(sinks).some((text) => text.includes('***'))) runsRedacted += 1;
        const before = leaks.length;
        for (const { secret, user } of scenario.secrets?.(value) ?? [{ secret: value, user: scenario.user }])
          assertNoLeak(`${scenario.name} [value ${JSON.stringify(value)}]`, sinks, secret, user);
        expect(leaks.slice(before)).toEqual([]);
      },
      120_000,
    );
  }

  it('finds a leak when there is one: every form of every value, in any sink', () => {
    const found = leaks.length;
    let planted = 0;
    for (const value of VALUES)
      for (const form of leakForms(value, USER)) {
        assertNoLeak('self-check', { planted: `before ${form} after` }, value, USER);
        planted += 1;
      }
    expect(leaks.length - found).toBe(planted);
    casesTried -= planted;
    leaks.splice(found);
  });

  it('reports the matrix size', () => {
    console.log(
      `leak matrix: ${SCENARIOS.length} scenarios × ${VALUES.length} values = ${runs} runs, ${casesTried} (secret, sink) cases tried, ` +
        `${runsRedacted} runs with a redacted secret (***) in some sink, leaks: ${leaks.length}`,
    );
    expect(casesTried).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });
});
