import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { processExecutor } from '../../src/core/exec.js';
import { withVars } from '../../src/core/shell.js';
import { finalizeScript } from '../../src/release/finalize.js';
import { appendHistoryScript } from '../../src/release/history.js';
import { inspectScript, parseInspection, removeReleaseScript, runInScript } from '../../src/release/layout.js';
import {
  acquireLockScript,
  heartbeatIntervalMs,
  heartbeatScript,
  type LockOwner,
  parseLockAttempt,
  releaseLockScript,
} from '../../src/release/lock.js';
import { parsePrune, pruneScript } from '../../src/release/prune.js';
import { linkSharedScript } from '../../src/release/shared.js';
import { switchScript, unlinkCurrentScript } from '../../src/release/switch/symlink.js';
import { localTransport } from '../../src/release/upload/local.js';

// The scripts run exactly as the local transport runs them (and as ssh does: bash -s with the prelude).
const transport = localTransport(processExecutor);

let base: string;
let root: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'dk-scripts-'));
  root = join(base, 'app');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

async function run(script: string) {
  return transport.run(script);
}

async function ok(script: string): Promise<string> {
  const result = await run(script);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

function addRelease(id: string, files: Record<string, string> = { 'app.txt': id }) {
  const dir = join(root, 'releases', id);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

const current = () => readlinkSync(join(root, 'current'));
const releases = () => readdirSync(join(root, 'releases')).sort();

describe('withVars', () => {
  it.each([['plain'], ["it's"], ['$(touch pwned)'], ['`touch pwned`'], ['a\nb; touch pwned'], [''], ['-n'], ['"; touch pwned; "']])(
    'hands %j to the script as data, never as code',
    async (value) => {
      const out = await ok(withVars({ value, dir: base }, `cd "$dir"\nprintf '%s' "$value"`));
      expect(out).toBe(value);
      expect(existsSync(join(base, 'pwned'))).toBe(false);
    },
  );
});

describe('inspectScript / parseInspection', () => {
  it('creates the layout on a fresh host and reports no release', async () => {
    expect(parseInspection(await ok(inspectScript(root)))).toMatchObject({ current: undefined, releases: [], rsync: true });
    for (const dir of ['releases', 'shared', '.deploy-kit']) expect(lstatSync(join(root, dir)).isDirectory()).toBe(true);
  });

  it('reports the current release and every release, sorted', async () => {
    for (const id of ['20260102000000', '20260101000000', '20260103000000']) addRelease(id);
    writeFileSync(join(root, 'releases', 'stray-file'), 'not a release');
    symlinkSync('releases/20260102000000', join(root, 'current'));
    expect(parseInspection(await ok(inspectScript(root)))).toMatchObject({
      current: '20260102000000',
      releases: ['20260101000000', '20260102000000', '20260103000000'],
      rsync: true,
    });
  });

  it('works for a root with spaces (a relative path is also resolved by the shell)', async () => {
    root = join(base, 'my app');
    addRelease('r1');
    expect(parseInspection(await ok(inspectScript(root))).releases).toEqual(['r1']);
  });

  it('reports whether the host has rsync, so the upload need not probe again', () => {
    expect(parseInspection('rsync=no\n').rsync).toBe(false);
    expect(parseInspection('current=r1\nrelease=r1\nrsync=yes\n')).toMatchObject({ current: 'r1', releases: ['r1'], rsync: true });
    expect(parseInspection('release=r1\n').rsync).toBeUndefined();
  });
});

describe('switchScript', () => {
  it('points current at the release, replacing the old link by a rename', async () => {
    addRelease('r1');
    addRelease('r2');
    await ok(switchScript(root, 'r1'));
    expect(current()).toBe('releases/r1');
    expect(readFileSync(join(root, 'current', 'app.txt'), 'utf8')).toBe('r1');
    await ok(switchScript(root, 'r2'));
    expect(current()).toBe('releases/r2');
    expect(readFileSync(join(root, 'current', 'app.txt'), 'utf8')).toBe('r2');
    // No temporary link is left behind, and the old release is untouched.
    expect(readdirSync(root).filter((name) => name.includes('tmp'))).toEqual([]);
    expect(releases()).toEqual(['r1', 'r2']);
  });

  it('never removes current: the new link is renamed over it (rename(2) is atomic)', () => {
    const script = switchScript('/srv/app', 'r2');
    expect(script).toMatch(/^mv -T "\.current\.\$release\.tmp" current$/m);
    expect(script).not.toMatch(/\brm\b/);
    expect(script).not.toMatch(/ln -sfn [^\n]* current$/m);
  });

  it('refuses a release that does not exist and leaves current as it was', async () => {
    addRelease('r1');
    await ok(switchScript(root, 'r1'));
    const result = await run(switchScript(root, 'r9'));
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('release r9 does not exist');
    expect(current()).toBe('releases/r1');
  });

  it('unlinkCurrentScript undoes a first deploy; removeReleaseScript never removes the current release', async () => {
    addRelease('r1');
    addRelease('r2');
    await ok(switchScript(root, 'r1'));
    await ok(removeReleaseScript(root, 'r1'));
    await ok(removeReleaseScript(root, 'r2'));
    expect(releases()).toEqual(['r1']);
    await ok(unlinkCurrentScript(root));
    expect(existsSync(join(root, 'current'))).toBe(false);
    expect(releases()).toEqual(['r1']);
  });
});

describe('pruneScript', () => {
  it('removes the releases it is given and says which', async () => {
    for (const id of ['v1', 'v2', 'v3']) addRelease(id);
    const out = await ok(pruneScript(root, ['v1', 'v2', 'missing']));
    expect(releases()).toEqual(['v3']);
    expect(out.trim().split('\n')).toEqual(['pruned=v1', 'pruned=v2']);
  });

  it('never removes the current release, even when asked', async () => {
    for (const id of ['v1', 'v2']) addRelease(id);
    await ok(switchScript(root, 'v1'));
    expect(await ok(pruneScript(root, ['v1', 'v2']))).toBe('pruned=v2\n');
    expect(current()).toBe('releases/v1');
  });

  it('reads what was left (a prune that could not remove everything is a warning, see release-faults)', () => {
    expect(parsePrune('pruned=v2\nleft=v1 rm: cannot remove x: Permission denied\n')).toEqual({
      pruned: ['v2'],
      left: ['v1 rm: cannot remove x: Permission denied'],
    });
  });
});

describe('finalizeScript', () => {
  const upload = (id: string, files: Record<string, string>) => {
    const dir = join(root, 'releases', `.${id}.partial`);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return dir;
  };

  it('renames a complete upload into place, with its shared links', async () => {
    await ok(inspectScript(root));
    upload('r1', { 'app.txt': 'r1' });
    await ok(finalizeScript(root, 'r1', ['media'], []));
    expect(releases()).toEqual(['r1']);
    expect(lstatSync(join(root, 'releases', 'r1', 'media')).isSymbolicLink()).toBe(true);
  });

  it('refuses an upload with no files (exclude: "*")', async () => {
    await ok(inspectScript(root));
    mkdirSync(join(upload('r1', {}), 'empty-dir'));
    const result = await run(finalizeScript(root, 'r1', [], []));
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toContain('release r1 has no files');
    expect(releases()).toEqual(['.r1.partial']);
  });

  it('refuses a shared path that a link in the release leads outside of, before changing anything', async () => {
    await ok(inspectScript(root));
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(join(elsewhere, 'data'), { recursive: true });
    writeFileSync(join(elsewhere, 'data', 'keep.txt'), 'precious');
    const dir = upload('r1', { 'app.txt': 'r1' });
    symlinkSync(elsewhere, join(dir, 'storage'));
    const result = await run(finalizeScript(root, 'r1', ['media', 'storage/data'], []));
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(`shared path storage/data resolves to ${elsewhere}/data, outside the release`);
    expect(readFileSync(join(elsewhere, 'data', 'keep.txt'), 'utf8')).toBe('precious');
    expect(lstatSync(join(elsewhere, 'data')).isDirectory()).toBe(true);
    expect(existsSync(join(dir, 'media'))).toBe(false);
    expect(releases()).toEqual(['.r1.partial']);
  });
});

describe('inspectScript: partial uploads', () => {
  it('never lists a partial upload, and removes stale ones', async () => {
    addRelease('r1');
    mkdirSync(join(root, 'releases', '.r2.partial', 'sub'), { recursive: true });
    const seen = parseInspection(await ok(inspectScript(root)));
    expect(seen.releases).toEqual(['r1']);
    expect(seen.partials.removed).toEqual(['.r2.partial']);
    expect(releases()).toEqual(['r1']);
  });

  it('reads the activation order from history.jsonl', async () => {
    for (const id of ['v1', 'v2', 'v10']) addRelease(id);
    await ok(switchScript(root, 'v2'));
    await ok(switchScript(root, 'v10'));
    const seen = parseInspection(await ok(inspectScript(root)));
    expect(seen.history.order).toEqual(['v2', 'v10']);
    expect(seen.current).toBe('v10');
  });
});

describe('linkSharedScript', () => {
  it('links shared dirs (created when absent) and files into the release, replacing what the upload brought', async () => {
    addRelease('r1', { 'storage/cache.txt': 'from the build', 'config/.env': 'from the build', 'app.txt': 'r1' });
    mkdirSync(join(root, 'shared', 'config'), { recursive: true });
    writeFileSync(join(root, 'shared', 'config', '.env'), 'SECRET=1');
    await ok(linkSharedScript(root, 'r1', ['storage', 'media/uploads'], ['config/.env']));
    const rel = join(root, 'releases', 'r1');
    for (const path of ['storage', 'media/uploads', 'config/.env']) {
      expect(lstatSync(join(rel, path)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(rel, path))).toMatch(new RegExp(`/app/shared/${path.replace('.', '\\.')}$`));
    }
    expect(readFileSync(join(rel, 'config', '.env'), 'utf8')).toBe('SECRET=1');
    expect(lstatSync(join(root, 'shared', 'media', 'uploads')).isDirectory()).toBe(true);
    // What the build put in a shared dir does not replace the shared data.
    expect(existsSync(join(root, 'shared', 'storage', 'cache.txt'))).toBe(false);
  });

  it('fails with a clear message when a shared file is missing on the host', async () => {
    addRelease('r1');
    const result = await run(linkSharedScript(root, 'r1', [], ['.env']));
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`shared file .env is missing: create ${root}/shared/.env on the host first`);
  });

  it('with nothing shared, leaves the release alone', async () => {
    addRelease('r1');
    await ok(linkSharedScript(root, 'r1', [], []));
    expect(readdirSync(join(root, 'releases', 'r1'))).toEqual(['app.txt']);
  });
});

describe('runInScript and history', () => {
  it('runs the user command in the release with the deploy facts, and reports its exit code', async () => {
    addRelease('r1');
    const out = await ok(
      runInScript(root, 'releases/r1', 'cat app.txt; echo " $DEPLOY_KIT_RELEASE $(basename "$DEPLOY_KIT_ROOT")"', {
        DEPLOY_KIT_RELEASE: 'r1',
      }),
    );
    expect(out).toBe('r1 r1 app\n');
    const failed = await run(runInScript(root, 'releases/r1', 'echo partial; exit 7', {}));
    expect(failed.exitCode).toBe(7);
    const pipefail = await run(runInScript(root, 'releases/r1', 'false | true', {}));
    expect(pipefail.exitCode).not.toBe(0);
  });

  it('appends one JSON line per event, with hostile text kept intact', async () => {
    await ok(inspectScript(root));
    await ok(appendHistoryScript(root, { event: 'deploy', release: 'r1' }));
    await ok(appendHistoryScript(root, { event: 'failed', release: 'r2', reason: "it's $(broken)\nline 2" }));
    const lines = readFileSync(join(root, '.deploy-kit', 'history.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { event: 'deploy', release: 'r1' },
      { event: 'failed', release: 'r2', reason: "it's $(broken)\nline 2" },
    ]);
  });
});

describe('deploy lock', () => {
  const owner = (token: string): LockOwner => ({
    token,
    owner: 'octocat',
    run: 'https://github.com/o/r/actions/runs/1',
    started: '2026-01-01T00:00:00.000Z',
  });
  const lockDir = () => join(root, '.deploy-kit', 'lock');
  const attempt = async (token: string, ttl = 3600) => parseLockAttempt(await ok(acquireLockScript(root, owner(token), ttl)));

  it('the first run acquires it; a second run sees who holds it', async () => {
    expect(await attempt('token-a')).toEqual({ state: 'acquired', holder: '', ageSeconds: 0 });
    const held = await attempt('token-b');
    expect(held.state).toBe('held');
    expect(JSON.parse(held.holder)).toEqual(owner('token-a'));
    expect(held.ageSeconds).toBeLessThan(3600);
    expect(readFileSync(join(lockDir(), 'token'), 'utf8').trim()).toBe('token-a');
  });

  it('a lock older than the TTL is taken over, naming the old holder', async () => {
    await attempt('token-a');
    writeFileSync(join(lockDir(), 'heartbeat'), `${Math.floor(Date.now() / 1000) - 7200}\n`);
    const takeover = await attempt('token-b', 3600);
    expect(takeover.state).toBe('taken-over');
    expect(JSON.parse(takeover.holder).token).toBe('token-a');
    expect(takeover.ageSeconds).toBeGreaterThan(3600);
    expect(readFileSync(join(lockDir(), 'token'), 'utf8').trim()).toBe('token-b');
    expect(readdirSync(join(root, '.deploy-kit')).filter((name) => name.includes('stale'))).toEqual([]);
  });

  it('when many runs find the same stale lock at once, exactly one takes it over', async () => {
    await attempt('token-dead');
    writeFileSync(join(lockDir(), 'heartbeat'), `${Math.floor(Date.now() / 1000) - 7200}\n`);
    const tokens = Array.from({ length: 12 }, (_, i) => `token-${i}`);
    const results = await Promise.all(tokens.map((token) => attempt(token)));
    // A run that arrives just after the stale lock was removed may simply acquire it: still one holder.
    const winners = tokens.filter((_, i) => results[i]!.state !== 'held');
    expect(winners).toHaveLength(1);
    expect(readFileSync(join(lockDir(), 'token'), 'utf8').trim()).toBe(winners[0]);
  });

  it('a lock being created by another run (no start time written yet) is held, not stale', async () => {
    mkdirSync(lockDir(), { recursive: true });
    expect((await attempt('token-b', 3600)).state).toBe('held');
    expect(existsSync(join(lockDir(), 'token'))).toBe(false);
    writeFileSync(join(lockDir(), 'started'), '');
    expect((await attempt('token-b', 3600)).state).toBe('held');
  });

  it('a lock left half-written by a run that died long ago is stale by its age on disk', async () => {
    mkdirSync(lockDir(), { recursive: true });
    const old = new Date(Date.now() - 7200_000);
    utimesSync(lockDir(), old, old);
    expect((await attempt('token-b', 3600)).state).toBe('taken-over');
    expect(readFileSync(join(lockDir(), 'token'), 'utf8').trim()).toBe('token-b');
  });

  it('is released only with the token of the run that holds it', async () => {
    await attempt('token-a');
    await ok(releaseLockScript(root, 'token-b'));
    expect(existsSync(lockDir())).toBe(true);
    await ok(releaseLockScript(root, 'token-a'));
    expect(existsSync(lockDir())).toBe(false);
    expect((await attempt('token-b')).state).toBe('acquired');
    // Releasing a lock that is gone is not an error.
    await ok(releaseLockScript(root, 'token-a'));
  });

  it('keeps a hostile owner name as data', async () => {
    const hostile = { ...owner('t'), owner: `o'; touch ${join(base, 'pwned')}; echo '$(id)` };
    await ok(acquireLockScript(root, hostile, 60));
    expect(JSON.parse(readFileSync(join(lockDir(), 'owner.json'), 'utf8'))).toEqual(hostile);
    expect(existsSync(join(base, 'pwned'))).toBe(false);
  });

  it.each([
    ['lock=acquired\n', { state: 'acquired', holder: '', ageSeconds: 0 }],
    ['lock=taken-over\nholder={"owner":"a"}\nage=4000\n', { state: 'taken-over', holder: '{"owner":"a"}', ageSeconds: 4000 }],
    ['lock=held\nholder={}\nage=12\n', { state: 'held', holder: '{}', ageSeconds: 12 }],
    ['garbage', { state: 'held', holder: '', ageSeconds: 0 }],
  ])('parseLockAttempt(%j)', (stdout, expected) => {
    expect(parseLockAttempt(stdout)).toEqual(expected);
  });
});

describe('deploy lock heartbeat', () => {
  const owner: LockOwner = { token: 'token-a', owner: 'octocat', run: 'r', started: '2026-01-01T00:00:00.000Z' };
  const lockDir = () => join(root, '.deploy-kit', 'lock');

  it('the holder renews its heartbeat; a lock started long ago but beating is not stale', async () => {
    await ok(acquireLockScript(root, owner, 60));
    writeFileSync(join(lockDir(), 'started'), `${Math.floor(Date.now() / 1000) - 7200}\n`);
    writeFileSync(join(lockDir(), 'heartbeat'), `${Math.floor(Date.now() / 1000) - 7200}\n`);
    expect(await ok(heartbeatScript(root, 'token-a'))).toBe('beat=ok\n');
    const second = parseLockAttempt(await ok(acquireLockScript(root, { ...owner, token: 'token-b' }, 60)));
    expect(second.state).toBe('held');
    expect(second.ageSeconds).toBeLessThan(60);
  });

  it('a holder whose lock was taken over learns it from the heartbeat', async () => {
    await ok(acquireLockScript(root, owner, 60));
    writeFileSync(join(lockDir(), 'heartbeat'), `${Math.floor(Date.now() / 1000) - 120}\n`);
    expect(parseLockAttempt(await ok(acquireLockScript(root, { ...owner, token: 'token-b' }, 60))).state).toBe('taken-over');
    expect(await ok(heartbeatScript(root, 'token-a'))).toBe('beat=lost\n');
  });

  it('runs the inspect body in the same round trip once held, and not while waiting', async () => {
    const held = await ok(acquireLockScript(root, owner, 60, 'echo inspected'));
    expect(held).toBe('lock=acquired\ninspected\n');
    const waiting = await ok(acquireLockScript(root, { ...owner, token: 'token-b' }, 60, 'echo inspected'));
    expect(waiting).not.toContain('inspected');
  });

  it('beats every 10 s, or a quarter of a shorter lock-ttl, at least every second', () => {
    expect(heartbeatIntervalMs(120_000)).toBe(10_000);
    expect(heartbeatIntervalMs(8000)).toBe(2000);
    expect(heartbeatIntervalMs(1000)).toBe(1000);
  });
});
