import { openSync } from 'node:fs';
import { open } from 'node:fs/promises';

import { explained, type SourceCommand, spawnInto, type WiredProcess } from '../core/stream-process.js';
import { ageEncryptArgv, Digest, type DumpSource, type SealOptions, zstdArgv } from './pipeline.js';

/**
 * dump → zstd → (age CLI) with the last program writing `file` itself (a local target): no byte of the
 * backup passes through node, so its memory stays that of an idle run. The digest reads the file as it
 * grows, with one reused buffer. Undefined when a stage has to run in node (gzip, in-process age) or
 * the dump is a stream: then the usual pipeline (sealSource) does it.
 */
export function sealToFile(
  source: DumpSource,
  options: SealOptions,
  file: string,
): { digest: Digest; done: Promise<void>; abort(): void } | undefined {
  if (!('command' in source) || options.compression !== 'zstd' || (options.recipients.length > 0 && !options.ageCli)) return undefined;
  const commands: SourceCommand[] = [source.command, { what: 'zstd', argv: zstdArgv(false) }];
  if (options.recipients.length > 0) commands.push({ what: 'age encryption', argv: ageEncryptArgv(options.recipients) });
  const processes: WiredProcess[] = [];
  let into: number | NonNullable<WiredProcess['stdin']> = openSync(file, 'w', 0o600);
  for (let i = commands.length - 1; i >= 0; i -= 1) {
    const command = commands[i]!;
    const first = i === 0;
    const wired = spawnInto(command.what, command.argv, into, {
      env: command.env,
      stdin: first && command.input === undefined ? 'ignore' : 'pipe',
    });
    if (first) wired.stdin?.end(command.input);
    processes.unshift({ ...wired, done: explained(command, wired.done) });
    into = wired.stdin!;
  }
  const stop = () => {
    for (const process of processes) process.kill();
  };
  for (const process of processes) process.done.catch(stop);
  // The processes' exit codes come first: the first failure in the chain is the one reported.
  const exited = Promise.allSettled(processes.map((p) => p.done)).then((results) => {
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
  const digest = new Digest();
  const done = Promise.all([exited, follow(file, digest, exited)]).then(() => undefined);
  done.catch(() => undefined);
  return { digest, done, abort: stop };
}

/** Hashes `file` while it is written, until `finished` settles and the end is read. */
async function follow(file: string, digest: Digest, finished: Promise<void>): Promise<void> {
  let over = false;
  void finished.then(
    () => (over = true),
    () => (over = true),
  );
  const handle = await open(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let position = 0;
  try {
    for (;;) {
      const ending = over; // one more read after the writers have exited: an empty one is then the end
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        digest.update(buffer.subarray(0, bytesRead));
        position += bytesRead;
      } else if (ending) return;
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await handle.close();
  }
}
