import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';

import { ConfigurationError } from '../core/errors.js';

/**
 * age encryption in-process with the `age-encryption` package (typage, by age's author): the same
 * format as the age CLI (X25519 recipients, STREAM payload in 64 KiB chunks), so either side can read
 * what the other wrote. The package is loaded on the first chunk, only by runs that encrypt or decrypt.
 * Memory: one 64 KiB chunk in and one out at a time, whatever the size of the stream.
 */

/** The package's web ReadableStream over a node stream's chunks, pulled one at a time (backpressure). */
function webStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Recipients the package reads: X25519 (`age1…`, not the post-quantum or plugin kinds the CLI may also know). */
export function libraryRecipient(recipient: string): boolean {
  return /^age1[0-9a-z]{58}$/.test(recipient);
}

/** The `AGE-SECRET-KEY-1…` lines of an identity file (age-keygen's format: comments start with #). */
export function x25519Identities(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('AGE-SECRET-KEY-1'));
}

export function ageEncryptStream(recipients: readonly string[]): Duplex {
  return Duplex.from(async function* (source: AsyncIterable<Uint8Array>) {
    const { Encrypter } = await import('age-encryption');
    const encrypter = new Encrypter();
    for (const recipient of recipients) encrypter.addRecipient(recipient);
    yield* await encrypter.encrypt(webStream(source));
  });
}

export function ageDecryptStream(identityFile: string): Duplex {
  return Duplex.from(async function* (source: AsyncIterable<Uint8Array>) {
    const identities = x25519Identities(readFileSync(identityFile, 'utf8'));
    if (identities.length === 0)
      throw new ConfigurationError(
        'input "age-identity": no AGE-SECRET-KEY-1… line in it; SSH identities need the age CLI on the runner (apt-get install -y age)',
      );
    const { Decrypter } = await import('age-encryption');
    const decrypter = new Decrypter();
    for (const identity of identities) decrypter.addIdentity(identity);
    try {
      yield* await decrypter.decrypt(webStream(source));
    } catch (error) {
      throw new Error(`age decryption failed: ${(error as Error).message}`, { cause: error });
    }
  });
}

/** The recipient (age1…) of each X25519 identity in the file, so a safety backup is readable by the same key. */
export async function libraryRecipientsOf(identityFile: string): Promise<string[]> {
  const { identityToRecipient } = await import('age-encryption');
  return Promise.all(x25519Identities(readFileSync(identityFile, 'utf8')).map((identity) => identityToRecipient(identity)));
}
