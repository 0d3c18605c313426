import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { afterAll, describe, expect, it } from 'vitest';

import { TarCheck, unsafeMemberName } from '../../src/backup/files/tar-check.js';

const dir = mkdtempSync(join(tmpdir(), 'dk-tarcheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Feeds the archive in small uneven chunks, so headers straddle chunk boundaries. */
async function check(archive: Buffer, chunk = 97): Promise<TarCheck> {
  const tc = new TarCheck('test.tar');
  const parts: Buffer[] = [];
  for (let i = 0; i < archive.length; i += chunk) parts.push(archive.subarray(i, i + chunk));
  const out: Buffer[] = [];
  await pipeline(Readable.from(parts), tc, async function* (source) {
    for await (const c of source) out.push(c as Buffer);
    yield* [];
  });
  expect(Buffer.concat(out).equals(archive)).toBe(true);
  return tc;
}

/** An archive with one member of this name, written by python's tarfile (GNU tar refuses to write one). */
function hostile(name: string, format: 'GNU' | 'PAX'): Buffer {
  const file = join(dir, `hostile-${format}.tar`);
  execFileSync('python3', [
    '-c',
    `import tarfile,io,sys\nt=tarfile.open(sys.argv[1],'w',format=tarfile.${format}_FORMAT)\ni=tarfile.TarInfo(sys.argv[2]);i.size=2\nt.addfile(i,io.BytesIO(b'hi'))\nt.close()`,
    file,
    name,
  ]);
  return readFileSync(file);
}

describe('TarCheck', () => {
  it('counts files and bytes of a GNU tar with long names, a symlink, a sparse file and a newline in a name', async () => {
    const tree = join(dir, 'media');
    mkdirSync(join(tree, 'a', 'b'), { recursive: true });
    writeFileSync(join(tree, 'a', 'b', 'x'), 'hello');
    symlinkSync('../b/x', join(tree, 'a', 'l'));
    writeFileSync(join(tree, 'with space\nand newline'), 'y');
    const long = 'd'.repeat(150);
    mkdirSync(join(tree, long));
    writeFileSync(join(tree, long, 'f'), 'q'.repeat(1000));
    execFileSync('truncate', ['-s', '5M', join(tree, 'sparse')]);
    execFileSync('sh', ['-c', `printf end >> "$1"`, 'sh', join(tree, 'sparse')]);
    const archive = execFileSync('tar', ['--create', '--file=-', '--numeric-owner', '--sparse', '--format=gnu', '-C', dir, 'media'], {
      maxBuffer: 64 << 20,
    });
    const tc = await check(archive);
    expect(tc.files).toBe(4);
    expect(tc.bytes).toBe(5 + 1 + 1000 + 5 * 1024 * 1024 + 3);
    expect(tc.members).toBe(9);
  });

  it.each([
    ['../x', 'GNU'],
    ['/etc/x', 'GNU'],
    ['a/../../x', 'PAX'],
    [`/${'p'.repeat(120)}/x`, 'PAX'],
  ] as const)('refuses the member %s (%s format) before its header passes', async (name, format) => {
    await expect(check(hostile(name, format))).rejects.toThrow(/refusing the archive test\.tar/);
  });

  it('names why a member is unsafe', () => {
    expect(unsafeMemberName('a/b')).toBeUndefined();
    expect(unsafeMemberName('a/..b')).toBeUndefined();
    expect(unsafeMemberName('/a')).toBe('an absolute name');
    expect(unsafeMemberName('a/../b')).toBe('a ".." component');
  });
});
