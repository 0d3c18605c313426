import type { ExecResult } from '../../core/exec.js';

export interface UploadOptions {
  /** An earlier release on the same host whose unchanged files are hard-linked instead of sent. */
  linkDest?: string;
  exclude: readonly string[];
  /** Whether the remote host has rsync, when already known (from inspectScript); probed when undefined. */
  remoteRsync?: boolean;
}

export interface UploadResult {
  method: 'rsync' | 'tar';
  /** Bytes that crossed the connection (rsync's "Total bytes sent", or the tar stream size). */
  bytesSent: number;
}

/** Where releases live: a host over OpenSSH, or the runner's own disk. Same scripts, same layout. */
export interface Transport {
  readonly label: string;
  /** Runs a bash script under `set -euo pipefail`; resolves with its result whatever the exit code. */
  run(script: string): Promise<ExecResult>;
  /** Copies the contents of a local directory into a new remote directory. */
  upload(localDir: string, remoteDir: string, options: UploadOptions): Promise<UploadResult>;
  close(): Promise<void>;
}

export const SCRIPT_PRELUDE = 'set -euo pipefail\n';

/** rsync --stats prints "Total bytes sent: 1,234"; older versions print it without separators. */
export function parseRsyncBytesSent(stats: string): number {
  const match = /Total bytes sent:\s*([\d,.]+)/.exec(stats);
  return match ? Number(match[1]!.replace(/[,.]/g, '')) : 0;
}

export function rsyncArgs(source: string, destination: string, options: UploadOptions): string[] {
  // --checksum: with --link-dest, rsync's size+mtime check would link a changed file of the same size
  // from the previous release when the build gives fixed mtimes (SOURCE_DATE_EPOCH, Nix, Bazel).
  const args = ['-a', '--checksum', '--delete', '--stats'];
  if (options.linkDest) args.push(`--link-dest=${options.linkDest}`);
  for (const pattern of options.exclude) args.push(`--exclude=${pattern}`);
  args.push(`${source.replace(/\/+$/, '')}/`, destination);
  return args;
}
