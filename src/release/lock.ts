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
 * mkdir is atomic, so the first run to create the lock directory holds it. A lock older than the
 * TTL is stale and is taken over, by one run only; the script reports whose lock it was.
 */
export function acquireLockScript(root: string, owner: LockOwner, ttlSeconds: number): string {
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
}
if take; then echo "lock=acquired"; exit 0; fi
# The token first: the age read after it belongs to that holder or a newer one, never an older one.
seen=$(cat "$lock/token" 2>/dev/null || true)
holder=$(cat "$lock/owner.json" 2>/dev/null || echo '{}')
started=$(cat "$lock/started" 2>/dev/null || true)
# A lock whose start time is not written yet is being taken right now: date it by its directory.
case "$started" in ''|*[!0-9]*) started=$(stat -c %Y "$lock" 2>/dev/null || date +%s) ;; esac
age=$(( $(date +%s) - started ))
if [ "$age" -gt "$ttl" ]; then
  # Breaking a stale lock takes a second mutex, so two runs that both judged it stale cannot both
  # break it (the second would remove the first one's fresh lock). Under it, the lock must still
  # be the one judged stale; a mutex left by a run killed mid-takeover is removed after a minute.
  mutex="$lock.takeover"
  if mkdir "$mutex" 2>/dev/null; then
    taken=no
    if [ "$(cat "$lock/token" 2>/dev/null || true)" = "$seen" ]; then
      stale="$lock.stale.$$"
      if mv -T "$lock" "$stale" 2>/dev/null; then rm -rf "$stale"; fi
      if take; then taken=yes; fi
    fi
    rmdir "$mutex"
    if [ "$taken" = yes ]; then echo "lock=taken-over"; echo "holder=$holder"; echo "age=$age"; exit 0; fi
  elif [ $(( $(date +%s) - $(stat -c %Y "$mutex" 2>/dev/null || date +%s) )) -gt 60 ]; then
    rmdir "$mutex" 2>/dev/null || true
  fi
fi
echo "lock=held"; echo "holder=$holder"; echo "age=$age"
`,
  );
}

/** Removes the lock only if this run still holds it (it may have been taken over as stale). */
export function releaseLockScript(root: string, token: string): string {
  return withVars(
    { root, token },
    `
lock="$root/.deploy-kit/lock"
if [ "$(cat "$lock/token" 2>/dev/null || true)" = "$token" ]; then rm -rf "$lock"; fi
`,
  );
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
