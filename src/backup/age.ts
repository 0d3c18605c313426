import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import type { Executor } from '../core/exec.js';
import { libraryRecipient, libraryRecipientsOf } from './age-stream.js';

/** An age recipient (X25519 `age1...` or an SSH public key). */
const AGE_RECIPIENT = /^(age1[0-9a-z]{58}|ssh-(ed25519|rsa) [A-Za-z0-9+/=]+(\s.*)?)$/;

export function checkRecipients(recipients: readonly string[]): void {
  for (const recipient of recipients) {
    if (!AGE_RECIPIENT.test(recipient))
      throw new ConfigurationError(
        `input "age-recipients": expected age1... public keys (age-keygen -y key.txt prints one), got ${JSON.stringify(recipient.slice(0, 20))}`,
      );
  }
}

/** Writes the identity to a 0600 file under the run's temp dir for `age -d -i`, removed afterwards. */
export async function withIdentityFile<T>(
  identity: string | undefined,
  ctx: RunContext,
  fn: (file: string | undefined) => Promise<T>,
): Promise<T> {
  if (!identity) return fn(undefined);
  if (!/AGE-SECRET-KEY-1[0-9A-Z]+|PRIVATE KEY-----/.test(identity))
    throw new ConfigurationError('input "age-identity": expected an age identity (AGE-SECRET-KEY-1..., as age-keygen writes it)');
  const dir = mkdtempSync(join(ctx.env.tempDir, 'dk-age-'));
  const file = join(dir, 'identity');
  writeFileSync(file, identity.endsWith('\n') ? identity : `${identity}\n`, { mode: 0o600 });
  try {
    return await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The public recipient of each X25519 identity in the file (what `age-keygen -y` prints), so a safety backup is readable by the same key. */
export async function recipientOf(identityFile: string, _ctx?: RunContext): Promise<string[]> {
  return libraryRecipientsOf(identityFile);
}

const installed = new WeakMap<Executor, Promise<boolean>>();

/** Whether the age CLI runs here (asked once per run). */
function ageInstalled(ctx: RunContext): Promise<boolean> {
  let known = installed.get(ctx.exec);
  if (!known) {
    known = ctx.exec.run(['age', '--version']).then(
      (r) => r.exitCode === 0,
      () => false,
    );
    installed.set(ctx.exec, known);
  }
  return known;
}

/**
 * Whether to encrypt or decrypt with the age CLI: yes when it is installed (the fast path, native
 * ChaCha20), else in-process (age-encryption), which reads X25519 keys only; an SSH key without the
 * CLI is a configuration error, raised before anything is dumped.
 */
export async function useAgeCli(ctx: RunContext, keys: { recipients?: readonly string[]; identity?: string }): Promise<boolean> {
  if ((keys.recipients ?? []).length === 0 && !keys.identity) return false;
  if (await ageInstalled(ctx)) return true;
  const ssh = (keys.recipients ?? []).find((r) => !libraryRecipient(r));
  if (ssh)
    throw new ConfigurationError(
      `input "age-recipients": ${JSON.stringify(ssh.slice(0, 20))}… needs the age CLI, which is not on this runner (GitHub's images lack it): use an age1… key (age-keygen), or install age (apt-get install -y age)`,
    );
  if (keys.identity && !/AGE-SECRET-KEY-1/.test(keys.identity))
    throw new ConfigurationError(
      'input "age-identity": an SSH identity needs the age CLI, which is not on this runner: use an AGE-SECRET-KEY-1… identity, or install age (apt-get install -y age)',
    );
  return false;
}
