import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupDir, readManifestFile, storedFiles } from '../../harness/services/backup.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

let sshd: SshServer;
let site: string;
let media: string;
const OTHER = 'dkmediaowner';

beforeAll(async () => {
  ensureUser(OTHER);
  sshd = await startSshd();
  site = mkdtempSync(join(tmpdir(), 'dk-site-'));
  media = join(site, 'media');
  mkdirSync(join(media, 'uploads', '2026', '12'), { recursive: true });
  writeFileSync(join(media, 'uploads', '2026', '12', 'photo.jpg'), Buffer.alloc(70_000, 7));
  writeFileSync(join(media, 'uploads', 'with space\nand newline.txt'), 'odd name');
  symlinkSync('uploads/2026/12/photo.jpg', join(media, 'latest.jpg'));
  writeFileSync(join(media, 'private.key'), 'only the owner reads this');
  chmodSync(join(media, 'private.key'), 0o600);
  const uid = Number(execFileSync('id', ['-u', OTHER], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', OTHER], { encoding: 'utf8' }));
  chownSync(join(media, 'private.key'), uid, gid);
  execFileSync('truncate', ['-s', '3M', join(media, 'sparse.img')]);
  mkdirSync(join(media, 'cache'));
  writeFileSync(join(media, 'cache', 'thumb.bin'), 'regenerated, not backed up');
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  if (site) rmSync(site, { recursive: true, force: true });
});

/** Every entry under dir: type, mode, owner, and content hash or link target. */
function snapshot(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((name) => {
        const path = join(d, name);
        const st = lstatSync(path);
        const what = st.isSymbolicLink()
          ? `-> ${readlinkSync(path)}`
          : st.isDirectory()
            ? 'dir'
            : createHash('sha256').update(readFileSync(path)).digest('hex');
        const line = `${JSON.stringify(relative(dir, path))} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${what}`;
        return st.isDirectory() ? [line, ...walk(path)] : [line];
      });
  return walk(dir);
}

const source = () => ({ 'source-host': sshd.hostSpec, 'ssh-key': sshd.privateKey, 'known-hosts': sshd.knownHosts });

describe('files backups over SSH', () => {
  it('backs up a media tree, restores it beside itself and swaps it in, keeping the old one', async () => {
    const dir = backupDir();
    const inputs = { paths: media, exclude: 'cache', target: 'local', path: dir, prefix: 'site', ...source() };
    const original = snapshot(media).filter((line) => !line.startsWith('"cache'));
    const backup = await runBundle('backup', inputs, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    expect(backup.outputs.key).toMatch(/^site\/media\/\d{8}T\d{6}Z\.tar\.zst$/);
    const manifest = readManifestFile(dir, backup.outputs.key!) as {
      engine: string;
      files: { paths: string[]; count: number; bytes: number };
    };
    expect(manifest.engine).toBe('files');
    expect(manifest.files).toEqual({ paths: [media], count: 4, bytes: 70_000 + 8 + 25 + 3 * 1024 * 1024 });

    // Damage the tree, then restore.
    rmSync(join(media, 'uploads', '2026'), { recursive: true });
    writeFileSync(join(media, 'private.key'), 'changed');
    const damaged = snapshot(media);
    const refused = await runBundle('restore', { ...inputs, confirm: 'wrong' });
    expect(refused.exitCode).not.toBe(0);
    expect(printed(refused)).toContain('set confirm to exactly "media"');

    const restore = await runBundle('restore', { ...inputs, confirm: 'media' }, { post: true });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(snapshot(media)).toEqual(original);
    const kept = readdirSync(site).filter((name) => name.startsWith('media.pre-restore-'));
    expect(kept).toHaveLength(1);
    expect(snapshot(join(site, kept[0]!))).toEqual(damaged);
    expect(readdirSync(site).filter((name) => name.includes('.restore-'))).toEqual([]);
    expect(restore.outputs['safety-backup']).toBe(join(site, kept[0]!));
    rmSync(join(site, kept[0]!), { recursive: true });
  }, 180_000);

  it('refuses a hostile archive (../x, /etc/x) and leaves the directory as it was', async () => {
    const dir = backupDir();
    const before = snapshot(media);
    for (const [i, member] of ['../escaped', `/${join(site, 'absolute')}`.replace(/^\/\//, '/')].entries()) {
      const raw = join(site, `hostile-${i}.tar`);
      execFileSync('python3', [
        '-c',
        "import tarfile,io,sys\nt=tarfile.open(sys.argv[1],'w',format=tarfile.GNU_FORMAT)\nd=tarfile.TarInfo('media');d.type=tarfile.DIRTYPE\nt.addfile(d)\ni=tarfile.TarInfo(sys.argv[2]);i.size=4\nt.addfile(i,io.BytesIO(b'evil'))\nt.close()",
        raw,
        member,
      ]);
      const key = `site/media/2026010${i + 1}T000000Z.tar.zst`;
      mkdirSync(join(dir, 'site', 'media'), { recursive: true });
      execFileSync('zstd', ['-q', '-f', raw, '-o', join(dir, key)]);
      const object = readFileSync(join(dir, key));
      const manifest = {
        version: 1,
        key,
        engine: 'files',
        database: 'media',
        size: object.length,
        sha256: createHash('sha256').update(object).digest('hex'),
        compression: 'zstd',
        encrypted: false,
        created: '2026-01-01T00:00:00.000Z',
        tags: [],
        tools: {},
        files: { paths: [media], count: 1, bytes: 4 },
      };
      writeFileSync(join(dir, `${key}.manifest.json`), JSON.stringify(manifest));
      const run = await runBundle(
        'restore',
        { paths: media, target: 'local', path: dir, from: key, confirm: 'media', ...source() },
        { post: true },
      );
      expect(run.exitCode).not.toBe(0);
      expect(printed(run)).toContain('refusing the archive');
      expect(printed(run)).toContain('No directory was changed');
      expect(snapshot(media)).toEqual(before);
      expect(existsSync(join(site, 'escaped'))).toBe(false);
      expect(existsSync(join(site, 'absolute'))).toBe(false);
      expect(readdirSync(site).filter((name) => name.includes('restore-'))).toEqual([]);
    }
  }, 180_000);

  it('applies retention across files backups of the same name', async () => {
    const dir = backupDir();
    const inputs = {
      paths: media,
      exclude: 'cache',
      target: 'local',
      path: dir,
      'keep-last': '2',
      'keep-daily': '0',
      'keep-weekly': '0',
      ...source(),
    };
    const keys: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const run = await runBundle('backup', inputs, { post: true });
      expect(run.exitCode, printed(run)).toBe(0);
      keys.push(run.outputs.key!);
      if (i === 2) expect(JSON.parse(run.outputs.deleted!)).toEqual([keys[0]]);
    }
    expect(storedFiles(dir)).toEqual([keys[1]!, `${keys[1]}.manifest.json`, keys[2]!, `${keys[2]}.manifest.json`].sort());
  }, 180_000);

  it('needs database-url or paths, and refuses both at once', async () => {
    const neither = await runBundle('backup', { target: 'local', path: backupDir() });
    expect(printed(neither)).toContain('input "database-url"');
    const both = await runBundle('backup', { 'database-url': 'sqlite:///tmp/x.db', paths: media, target: 'local', path: backupDir() });
    expect(printed(both)).toContain('input "paths"');
  });
});
