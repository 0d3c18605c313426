import type { FilesPath } from './inputs.js';

/** tar exits 1 when a file changed while it was read: the archive is still complete, so that is not a failure. */
const TAR_CHANGED_IS_OK = 'tar "$@"; rc=$?; [ "$rc" -ne 1 ] || { echo "some files changed while they were read" >&2; rc=0; }; exit "$rc"';

/** Numeric owners, sparse files, GNU format (what TarCheck reads); each directory by its last segment. */
export function tarCreateArgv(paths: readonly FilesPath[], exclude: readonly string[]): string[] {
  return [
    'sh',
    '-c',
    TAR_CHANGED_IS_OK,
    'sh',
    '--create',
    '--file=-',
    '--numeric-owner',
    '--sparse',
    '--format=gnu',
    ...exclude.map((pattern) => `--exclude=${pattern}`),
    ...paths.flatMap((p) => ['-C', p.parent, p.base]),
  ];
}

/**
 * Extracts `<base>/` from the archive on stdin into a partial directory beside the target, then
 * renames it to `<dir>.restore-<stamp>`; owners are kept when run as root.
 */
const EXTRACT = `set -eu
dir=$1; stamp=$2
parent=$(dirname -- "$dir"); base=$(basename -- "$dir")
work="$parent/.$base.restore-$stamp.partial"; out="$dir.restore-$stamp"
if [ -e "$out" ]; then echo "$out exists already" >&2; exit 3; fi
mkdir -p -- "$parent"
mkdir -m 700 -- "$work"
if [ "$(id -u)" = 0 ]; then own=--same-owner; else own=--no-same-owner; fi
rc=0
tar --extract --file=- --numeric-owner --same-permissions "$own" --directory="$work" -- "$base" || rc=$?
if [ "$rc" -ne 0 ]; then rm -rf -- "$work"; exit "$rc"; fi
if [ ! -d "$work/$base" ]; then rm -rf -- "$work"; echo "the archive holds no directory $base" >&2; exit 4; fi
mv -T -- "$work/$base" "$out"
rmdir -- "$work"`;

/** The old directory becomes `<dir>.pre-restore-<stamp>` (the safety copy), then the restored one takes its name. */
const SWAP = `set -eu
dir=$1; stamp=$2
if [ -e "$dir" ] || [ -L "$dir" ]; then mv -T -- "$dir" "$dir.pre-restore-$stamp"; fi
mv -T -- "$dir.restore-$stamp" "$dir"`;

const DISCARD = `rm -rf -- "$1.restore-$2"`;

const script = (body: string, dir: string, stamp: string) => ['sh', '-c', body, 'sh', dir, stamp];

export const filesScripts = {
  extract: (dir: string, stamp: string) => script(EXTRACT, dir, stamp),
  swap: (dir: string, stamp: string) => script(SWAP, dir, stamp),
  discard: (dir: string, stamp: string) => script(DISCARD, dir, stamp),
};
