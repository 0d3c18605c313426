import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { checkResult } from '../../core/exec.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import { firstSqliteValue, SQLITE_SIDE_SUFFIXES, sqliteFile, sqliteQueryArgv } from '../../db/dump/sqlite.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import type { Place } from './place.js';

/**
 * Receives a SQLite file on stdin into a temp file beside `$1` (same directory, so the rename is one
 * step on one file system) with the mode, owner and group of `$2` (the database's file, when there):
 * the owner is set on the still empty file, so a user who may not chown is refused before any byte
 * moves. Then PRAGMA integrity_check, a WAL checkpoint of the file it replaces, and the rename.
 */
export const SQLITE_RECEIVE = [
  'set -eu',
  'target=$1 like=$2',
  't=$(mktemp "$(dirname -- "$target")/.$(basename -- "$target").restore-XXXXXX")',
  'trap \'rm -f -- "$t"\' EXIT',
  'if [ -e "$like" ]; then',
  '  owner=$(stat -c %u:%g -- "$like")',
  '  if [ "$(stat -c %u:%g -- "$t")" != "$owner" ] && ! chown -- "$owner" "$t" 2>/dev/null; then',
  '    echo "cannot keep the owner $(stat -c %U:%G -- "$like") ($owner) of $like: $(id -un) may not chown to it; restore as that user or as root (nothing was changed)" >&2',
  '    exit 3',
  '  fi',
  'fi',
  'cat > "$t"',
  'if [ -e "$like" ]; then chmod "$(stat -c %a -- "$like")" -- "$t"; fi',
  'check=$(sqlite3 -bail "$t" "PRAGMA integrity_check;" 2>&1) || true',
  'if [ "$check" != ok ]; then echo "the restored SQLite file fails PRAGMA integrity_check: $check (nothing was changed)" >&2; exit 4; fi',
  'if [ -e "$target" ]; then sqlite3 -bail "$target" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null; fi',
  'mv -f -- "$t" "$target"',
  'trap - EXIT',
].join('\n');

type FileControl = Pick<DumpEngine, 'exists' | 'createDatabase' | 'dropDatabase' | 'query' | 'swap' | 'restore'>;

/**
 * A SQLite database on source-host (dump-on: host): its file and the files beside it (a restore's
 * new file, the replaced one kept by the swap) are handled there, the way sqliteEngine does on the runner.
 */
export function sqliteHostControl(place: Place, placed: DatabaseTarget): FileControl {
  const file = (name: string) => sqliteFile(placed, name);
  const run = async (what: string, argv: string[]) => checkResult(`${what} on ${place.label}`, await place.run(argv));
  return {
    exists: async (_db, name) => (await place.run(['test', '-e', file(name)])).exitCode === 0,
    createDatabase: async () => undefined, // a file appears when restored
    async dropDatabase(_db, name) {
      await run('removing a SQLite file', ['rm', '-f', '--', ...SQLITE_SIDE_SUFFIXES.map((s) => `${file(name)}${s}`)]);
    },
    query: async (_db, name, sql) => firstSqliteValue((await run('sqlite3 query', sqliteQueryArgv(file(name), sql))).stdout),
    async swap(_db, from, keepAs) {
      // A hard link keeps the old file; the rename then replaces the name in one step.
      const script = 'ln -- "$1" "$3" && mv -f -- "$2" "$1"';
      await run('SQLite swap', ['sh', '-c', script, 'sh', file(placed.database), file(from), file(keepAs)]);
    },
    async restore(_db, name, input: Readable) {
      const proc = place.spawn('SQLite restore', ['sh', '-c', SQLITE_RECEIVE, 'sh', file(name), file(placed.database)], {});
      // A refusal (the owner) ends the script before it reads: its message, not the broken pipe, is the error.
      const [sent, done] = await Promise.allSettled([pipeline(input, proc.stdin), proc.done]);
      if (done.status === 'rejected') throw done.reason;
      if (sent.status === 'rejected') throw sent.reason;
    },
  };
}
