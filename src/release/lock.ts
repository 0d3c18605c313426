import { withVars } from '../core/shell.js';

export interface LockConfig {
  waitMs: number;
  ttlMs: number;
}

/** The deploy lock settings from lock-wait and lock-ttl. */
export function lockConfig(inputs: { 'lock-wait': number; 'lock-ttl': number }): LockConfig {
  return { waitMs: inputs['lock-wait'], ttlMs: inputs['lock-ttl'] };
}

export interface LockOwner {
  token: string;
  owner: string;
  run: string;
  started: string;
}

/**
 * mkdir is atomic, so the first run to create the lock directory holds it. The holder renews
 * `heartbeat` (heartbeatScript); a lock whose heartbeat is older than the TTL was left by a run
 * that died: it is stale and taken over, by one run only, and the script reports whose it was.
 * `then` (a fixed script body, never user text) runs right after the lock is taken, in the same
 * round trip: deploy and rollback inspect the layout there.
 */
export function acquireLockScript(root: string, owner: LockOwner, ttlSeconds: number, then = ''): string {
  return withVars(
    { root, info: JSON.stringify(owner), token: owner.token, ttl: String(ttlSeconds) },
    `
lock="$root/.deploy-kit/lock"
mkdir -p "$root/.deploy-kit"
take() {
  mkdir "$lock" 2>/dev/null || return 1
  printf '%s\\n' "$info" > "$lock/owner.json"
  printf '%s\\n' "$token" > "$lock/token"
  date +%s > "$lock/started"
  date +%s > "$lock/heartbeat"
}
got=""
if take; then
  got=acquired
  echo "lock=acquired"
else
  # The token first: the age read after it belongs to that holder or a newer one, never an older one.
  seen=$(cat "$lock/token" 2>/dev/null || true)
  holder=$(cat "$lock/owner.json" 2>/dev/null || echo '{}')
  beat=$(cat "$lock/heartbeat" 2>/dev/null || cat "$lock/started" 2>/dev/null || true)
  # A lock whose heartbeat is not written yet is being taken right now: date it by its directory.
  case "$beat" in ''|*[!0-9]*) beat=$(stat -c %Y "$lock" 2>/dev/null || date +%s) ;; esac
  age=$(( $(date +%s) - beat ))
  if [ "$age" -gt "$ttl" ]; then
    # Breaking a stale lock takes a second mutex, so two runs that both judged it stale cannot both
    # break it (the second would remove the first one's fresh lock). Under it, the lock must still
    # be the one judged stale; a mutex left by a run killed mid-takeover is removed after a minute.
    mutex="$lock.takeover"
    if mkdir "$mutex" 2>/dev/null; then
      if [ "$(cat "$lock/token" 2>/dev/null || true)" = "$seen" ]; then
        stale="$lock.stale.$$"
        if mv -T "$lock" "$stale" 2>/dev/null; then rm -rf "$stale"; fi
        if take; then got=taken-over; fi
      fi
      rmdir "$mutex"
    elif [ $(( $(date +%s) - $(stat -c %Y "$mutex" 2>/dev/null || date +%s) )) -gt 60 ]; then
      rmdir "$mutex" 2>/dev/null || true
    fi
  fi
  if [ -n "$got" ]; then echo "lock=taken-over"; else echo "lock=held"; fi
  echo "holder=$holder"
  echo "age=$age"
fi
if [ -n "$got" ]; then
${then || ':'}
fi
`,
  );
}

/** Renews the heartbeat if this run still holds the lock; prints beat=ok, or beat=lost after a takeover. */
export function heartbeatScript(root: string, token: string): string {
  return withVars(
    { root, token },
    `
lock="$root/.deploy-kit/lock"
if [ "$(cat "$lock/token" 2>/dev/null || true)" = "$token" ]; then
  date +%s > "$lock/heartbeat.$$" && mv -f "$lock/heartbeat.$$" "$lock/heartbeat"
  echo "beat=ok"
else
  echo "beat=lost"
fi
`,
  );
}

/** How often the holder renews its heartbeat: a quarter of the TTL, between 1 and 10 seconds. */
export function heartbeatIntervalMs(ttlMs: number): number {
  return Math.min(10_000, Math.max(1000, Math.floor(ttlMs / 4)));
}

/** Expects $root and $token: removes the lock only if this run still holds it. */
export const RELEASE_LOCK_BODY = `
lock="$root/.deploy-kit/lock"
if [ "$(cat "$lock/token" 2>/dev/null || true)" = "$token" ]; then rm -rf "$lock"; fi
`;

/** Removes the lock only if this run still holds it (it may have been taken over as stale). */
export function releaseLockScript(root: string, token: string): string {
  return withVars({ root, token }, RELEASE_LOCK_BODY);
}

export interface LockAttempt {
  state: 'acquired' | 'taken-over' | 'held';
  holder: string;
  ageSeconds: number;
}

export function parseLockAttempt(stdout: string): LockAttempt {
  const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(stdout)?.[1] ?? '';
  const state = field('lock');
  return {
    state: state === 'acquired' || state === 'taken-over' ? state : 'held',
    holder: field('holder'),
    ageSeconds: Number(field('age') || 0),
  };
}
