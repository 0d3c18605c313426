import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Reads what a registry serves with skopeo (plain HTTP, basic auth): what a deploy would pull. */
export interface Inspected {
  Digest: string;
  RepoTags: string[];
  Labels: Record<string, string>;
}

export interface ImageConfigBlob {
  config?: { Labels?: Record<string, string>; Env?: string[] };
  history?: { created_by?: string; empty_layer?: boolean }[];
}

function skopeo(args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export function skopeoInspect(ref: string, creds: string): Inspected {
  return JSON.parse(skopeo(['inspect', '--tls-verify=false', '--creds', creds, `docker://${ref}`])) as Inspected;
}

/** The image's config blob as pushed (labels, env, history). */
export function pushedConfig(ref: string, creds: string): { raw: string; parsed: ImageConfigBlob } {
  const raw = skopeo(['inspect', '--config', '--raw', '--tls-verify=false', '--creds', creds, `docker://${ref}`]);
  return { raw, parsed: JSON.parse(raw) as ImageConfigBlob };
}

/** The config blob and every layer tarball of a pushed image, uncompressed. */
export function pushedBlobs(ref: string, creds: string): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'dk-layers-'));
  try {
    execFileSync('skopeo', ['copy', '--src-tls-verify=false', '--src-creds', creds, `docker://${ref}`, `dir:${dir}`]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      layers: { digest: string }[];
      config: { digest: string };
    };
    return [manifest.config.digest, ...manifest.layers.map((l) => l.digest)].map((digest) => {
      const blob = readFileSync(join(dir, digest.replace('sha256:', '')));
      return blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The content of one file in a tar stream (ustar headers: name at 0, octal size at 124). */
export function tarFile(tar: Buffer, name: string): string | undefined {
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    const entry = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (entry === '') return undefined;
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (entry.replace(/^\.?\//, '') === name) return tar.subarray(offset + 512, offset + 512 + size).toString('utf8');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** A file of the image as its last layer that has it sees it. */
export function fileInLayers(blobs: readonly Buffer[], name: string): string | undefined {
  return blobs
    .map((b) => tarFile(b, name))
    .filter((c) => c !== undefined)
    .at(-1);
}
