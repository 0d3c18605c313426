import { createHash } from 'node:crypto';

/** The SHA256 fingerprint OpenSSH prints for a public key blob (base64, no padding). */
export function fingerprintOf(keyBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

export interface ScannedKey {
  line: string;
  type: string;
  fingerprint: string;
}

/** Parses ssh-keyscan output into known_hosts lines with their fingerprints. */
export function parseKeyscan(output: string): ScannedKey[] {
  const keys: ScannedKey[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [, type, key] = line.split(/\s+/);
    if (!type || !key) continue;
    keys.push({ line, type, fingerprint: fingerprintOf(key) });
  }
  return keys;
}

export const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
