import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** One file of a built site: its path relative to the site root (always "/"-separated), sha1 and size. */
export interface SiteFile {
  path: string;
  absolute: string;
  sha: string;
  size: number;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.isFile() ? [full] : [];
    }),
  );
  return nested.flat();
}

/** The absolute path of every regular file under root, sorted. */
export async function listSite(root: string): Promise<string[]> {
  return (await walk(root)).sort();
}

/** Every regular file under root with its sha1 digest (what Vercel and Netlify deduplicate by), sorted by path. */
export async function digestSite(root: string, concurrency = 16): Promise<SiteFile[]> {
  return digestFiles(root, await listSite(root), concurrency);
}

/** The given files under root (from listSite) with their sha1 digests, in the same order. */
export async function digestFiles(root: string, paths: readonly string[], concurrency = 16): Promise<SiteFile[]> {
  return mapPool(paths, concurrency, async (absolute) => {
    const data = await readFile(absolute);
    return {
      path: relative(root, absolute).split(sep).join('/'),
      absolute,
      sha: createHash('sha1').update(data).digest('hex'),
      size: data.length,
    };
  });
}

/** Runs fn over items with at most `limit` in flight; results keep the input order; the first failure rejects. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The files whose sha1 is in the wanted list, one per digest (identical files are uploaded once). */
export function filesForDigests(files: readonly SiteFile[], digests: readonly string[]): SiteFile[] {
  const wanted = new Set(digests);
  const seen = new Set<string>();
  return files.filter((f) => wanted.has(f.sha) && !seen.has(f.sha) && seen.add(f.sha));
}

/** Files sent to a vendor at once. */
const UPLOAD_CONCURRENCY = 8;

/** Reads and sends each file, a few at a time; `sent` runs after each file that was sent. */
export async function uploadFiles(
  files: readonly SiteFile[],
  send: (file: SiteFile, data: Uint8Array<ArrayBuffer>) => Promise<unknown>,
  sent?: () => void,
): Promise<void> {
  await mapPool(files, UPLOAD_CONCURRENCY, async (file) => {
    const data = await readFile(file.absolute);
    await send(file, new Uint8Array(data));
    sent?.();
  });
}
