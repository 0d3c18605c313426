import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { runChecked } from '../core/exec.js';

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

/** The public recipient of an X25519 identity file (`age-keygen -y`), so a safety backup is readable by the same key. */
export async function recipientOf(identityFile: string, ctx: RunContext): Promise<string[]> {
  const result = await runChecked(ctx.exec, 'age-keygen -y', ['age-keygen', '-y', identityFile]);
  return result.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('age1'));
}
