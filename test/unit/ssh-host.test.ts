import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import type { RunContext } from '../../src/core/action.js';
import { CommandError, OperationalError } from '../../src/core/errors.js';
import { processExecutor } from '../../src/core/exec.js';
import { createHttpClient } from '../../src/core/http.js';
import { Summary } from '../../src/core/summary.js';
import { ReleaseHost } from '../../src/release/host.js';
import { localTransport } from '../../src/release/upload/local.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

/** A run context on this machine: real commands, a clock whose waits pass at once, a recording logger. */
function context(actor: string) {
  let now = NOW;
  const logger = recordingLogger();
  const { lines } = logger;
  const sleeps: number[] = [];
  const clock = { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
  const ctx: RunContext = {
    logger,
    exec: processExecutor,
    http: createHttpClient({ clock }),
    clock,
    outputs: { set: () => undefined },
    summary: new Summary(),
    state: { save: () => undefined, get: () => '' },
    env: {
      sha: 'abc1234',
      ref: '',
      eventName: 'push',
      repository: 'o/r',
      actor,
      runUrl: `https://github.com/o/r/actions/runs/${actor}`,
      tempDir: tmpdir(),
      workspace: '.',
      githubApiUrl: '',
    },
  };
  return { ctx, lines, sleeps };
}

let base: string;
let root: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'dk-host-'));
  root = join(base, 'app');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function host(actor: string) {
  const c = context(actor);
  return { ...c, host: new ReleaseHost(localTransport(processExecutor), root, c.ctx) };
}

/** The error a promise rejects with; a test fails if it resolves. */
async function rejection<E>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as E,
  );
}

const LOCK = { waitMs: 10_000, ttlMs: 3_600_000 };

describe('ReleaseHost deploy lock', () => {
  it('a second run waits for the lock to the deadline, then fails naming the holder and what to do', async () => {
    const first = host('alice');
    const second = host('bob');
    await first.host.inspect();
    await first.host.lock(LOCK, 'deploy r1');
    const error = await rejection<OperationalError>(second.host.lock(LOCK, 'deploy r2'));
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toMatch(
      /^local: the deploy lock is held by another run \(\{.*"owner":"alice".*"purpose":"deploy r1".*\}\); waited 10s$/,
    );
    expect(error.hint).toContain('raise lock-wait');
    expect(second.lines.filter((l) => l.includes('waiting for the deploy lock held by'))).toHaveLength(1);
    expect(second.sleeps.reduce((a, b) => a + b, 0)).toBeCloseTo(10_000, 2);
    // Once the holder lets go, the next run gets it.
    await first.host.unlock();
    await second.host.lock(LOCK, 'deploy r2');
    expect(JSON.parse(readFileSync(join(root, '.deploy-kit/lock/owner.json'), 'utf8')).owner).toBe('bob');
  });

  it('takes over a lock older than lock-ttl with a warning, and the old holder cannot release it', async () => {
    const first = host('alice');
    const second = host('bob');
    await first.host.inspect();
    await first.host.lock(LOCK, 'deploy r1');
    writeFileSync(join(root, '.deploy-kit/lock/heartbeat'), `${Math.floor(Date.now() / 1000) - 7200}\n`);
    await second.host.lock(LOCK, 'deploy r2');
    expect(
      second.lines.some((l) =>
        /^warning: local: took over a stale deploy lock \(heartbeat \d+s old, older than lock-ttl 3600s\) held by .*alice/.test(l),
      ),
    ).toBe(true);
    await first.host.unlock();
    expect(JSON.parse(readFileSync(join(root, '.deploy-kit/lock/owner.json'), 'utf8')).owner).toBe('bob');
    await second.host.unlock();
    expect(readdirSync(join(root, '.deploy-kit'))).not.toContain('lock');
  });

  it('a broken layout fails at once with the command error, without waiting', async () => {
    mkdirSync(base, { recursive: true });
    writeFileSync(root, 'a file where the deploy root should be');
    const run = host('alice');
    const error = await rejection<CommandError>(run.host.lock(LOCK, 'deploy'));
    expect(error).toBeInstanceOf(CommandError);
    expect(error.message).toMatch(/^taking the deploy lock on local failed with exit code 1:\n.*Not a directory/);
    expect(run.sleeps).toEqual([]);
  });
});

describe('ReleaseHost release operations', () => {
  function addRelease(id: string) {
    mkdirSync(join(root, 'releases', id), { recursive: true });
    writeFileSync(join(root, 'releases', id, 'VERSION'), id);
  }

  it('switches, reverts to no release, prunes with protection, and records history', async () => {
    const run = host('alice');
    await run.host.inspect();
    for (const id of ['r1', 'r2', 'r3', 'r4']) addRelease(id);
    await run.host.switchTo('r4');
    expect(readlinkSync(join(root, 'current'))).toBe('releases/r4');
    await run.host.prune(['r2']);
    expect(run.lines).toContain('info: local: removed old releases r2');
    expect(await run.host.inspect()).toMatchObject({ current: 'r4', releases: ['r1', 'r3', 'r4'], rsync: true });
    await run.host.switchTo(undefined);
    expect((await run.host.inspect()).current).toBeUndefined();
    await run.host.history('deploy', { release: 'r4', previous: 'r3' });
    const [switched, entry] = readFileSync(join(root, '.deploy-kit/history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(switched).toMatchObject({ event: 'switch', release: 'r4', previous: '' });
    expect(entry).toEqual({
      time: '2026-03-01T12:00:00.000Z',
      event: 'deploy',
      host: 'local',
      release: 'r4',
      previous: 'r3',
      sha: 'abc1234',
      actor: 'alice',
      run: 'https://github.com/o/r/actions/runs/alice',
    });
  });

  it('switching to a missing release fails with the script’s own message', async () => {
    const run = host('alice');
    await run.host.inspect();
    const error = await rejection<CommandError>(run.host.switchTo('nope'));
    expect(error).toBeInstanceOf(CommandError);
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe('switching current to nope on local failed with exit code 4:\nrelease nope does not exist');
  });

  it('the health command is retried in the new release until it passes', async () => {
    const run = host('alice');
    await run.host.inspect();
    addRelease('r1');
    const command = 'n=$(cat ../../count 2>/dev/null || echo 0); echo $((n + 1)) > ../../count; [ "$n" -ge 2 ] && grep -q r1 VERSION';
    expect(await run.host.checkCommand({ command, expect: {}, timeoutMs: 60_000 }, 'r1')).toBe('command ok after 3 attempt(s)');
  });

  it('a health command that never passes fails at the deadline with its last output', async () => {
    const run = host('alice');
    await run.host.inspect();
    addRelease('r1');
    const error = await rejection<Error>(
      run.host.checkCommand({ command: 'echo "migrations pending" >&2; exit 3', expect: {}, timeoutMs: 5000 }, 'r1'),
    );
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toMatch(
      /^health-command on local did not succeed within 5s after \d+ attempts; last result: exit 3: migrations pending$/,
    );
  });

  it('runs a user command in current with the release and sha, logging its output', async () => {
    const run = host('alice');
    await run.host.inspect();
    addRelease('r1');
    await run.host.switchTo('r1');
    await run.host.runCommand(
      'restart-command',
      'current',
      'echo "restarting $DEPLOY_KIT_RELEASE at $DEPLOY_KIT_SHA from $(cat VERSION)"',
      'r1',
    );
    expect(run.lines).toContain('info: restarting r1 at abc1234 from r1');
    const error = await rejection<CommandError>(run.host.runCommand('restart-command', 'current', 'echo boom; exit 9', 'r1'));
    expect(error.message).toBe('restart-command on local failed with exit code 9:\nboom');
  });
});
