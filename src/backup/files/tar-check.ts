import { Transform, type TransformCallback } from 'node:stream';

import { OperationalError } from '../../core/errors.js';

const BLOCK = 512;

/** Why a member name may not be written anywhere: absolute, or climbing out with `..`. */
export function unsafeMemberName(name: string): string | undefined {
  if (name.startsWith('/')) return 'an absolute name';
  if (name.split('/').includes('..')) return 'a ".." component';
  return undefined;
}

function octal(block: Buffer, start: number, length: number): number {
  // GNU base-256 for sizes of 8 GiB and more: the first byte has its high bit set.
  if (block[start]! & 0x80) {
    let value = 0;
    for (let i = start + 1; i < start + length; i += 1) value = value * 256 + block[i]!;
    return value;
  }
  const text = block
    .toString('latin1', start, start + length)
    .replace(/\0.*$/s, '')
    .trim();
  return text ? parseInt(text, 8) : 0;
}

function cString(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** pax records `<len> key=value\n`: the path and size keys override the next header's. */
function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(data.toString('latin1', at, space));
    if (!length) break;
    const record = data.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return records;
}

/**
 * Reads a tar stream as it passes (GNU and pax formats, long names, sparse members) without holding
 * more than one member's header data: counts the files and their bytes for the manifest, and fails
 * the stream at the first member whose name is absolute or contains "..", before that header
 * reaches tar. Backups check what they store; restores check what they extract.
 */
export class TarCheck extends Transform {
  files = 0;
  bytes = 0;
  members = 0;
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of member data still to skip, and whether that data is a name/pax block to collect. */
  private skip = 0;
  private collect?: { kind: 'L' | 'K' | 'x' | 'g'; size: number; chunks: Buffer[] };
  private longName?: string;
  private pax: Record<string, string> = {};
  private extendedSparse = false;
  private ended = false;

  constructor(private readonly label: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      this.consume();
      callback(null, chunk);
    } catch (error) {
      callback(error as Error);
    }
  }

  private consume(): void {
    let at = 0;
    const data = this.pending;
    while (!this.ended) {
      if (this.extendedSparse || this.skip === 0) {
        // A header, or one of the sparse map blocks that follow a GNU sparse header before its data.
        if (data.length - at < BLOCK) break;
        this.header(data.subarray(at, at + BLOCK));
        at += BLOCK;
        continue;
      }
      const take = Math.min(this.skip, data.length - at);
      if (take <= 0) break;
      this.collect?.chunks.push(data.subarray(at, at + take));
      this.skip -= take;
      at += take;
      if (this.skip === 0 && this.collect) this.finishCollect();
    }
    this.pending = this.ended ? Buffer.alloc(0) : Buffer.from(data.subarray(at));
  }

  private finishCollect(): void {
    const { kind, chunks, size } = this.collect!;
    const body = Buffer.concat(chunks).subarray(0, size);
    this.collect = undefined;
    if (kind === 'L') this.longName = cString(body, 0, body.length);
    else if (kind === 'x') this.pax = { ...this.pax, ...paxRecords(body) };
  }

  private header(block: Buffer): void {
    if (this.extendedSparse) {
      this.extendedSparse = block[504] !== 0;
      return;
    }
    if (block.every((b) => b === 0)) {
      this.ended = true; // end-of-archive blocks; what follows is padding
      return;
    }
    const type = String.fromCharCode(block[156] || 0x30);
    const size = this.pax.size !== undefined ? Number(this.pax.size) : octal(block, 124, 12);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      this.collect = { kind: type, size, chunks: [] };
      this.skip = padded;
      if (padded === 0) this.finishCollect();
      return;
    }
    const ustarPrefix = block.toString('latin1', 257, 262) === 'ustar' && block[345] ? `${cString(block, 345, 155)}/` : '';
    const name = this.pax.path ?? this.longName ?? `${ustarPrefix}${cString(block, 0, 100)}`;
    this.pax = {};
    this.longName = undefined;
    const why = unsafeMemberName(name);
    if (why)
      throw new OperationalError(
        `refusing the archive ${this.label}: member ${JSON.stringify(name)} has ${why}, which could write outside the directory. Nothing was written from it.`,
      );
    this.members += 1;
    if (type === 'S') {
      this.extendedSparse = block[482] !== 0;
      this.bytes += octal(block, 483, 12);
      this.files += 1;
    } else if (type === '0' || type === '7') {
      this.bytes += size;
      this.files += 1;
    }
    // Hard links, symlinks, directories and devices carry no data (size is 0 for them in GNU tar).
    this.skip = type === '1' || type === '2' || type === '5' ? 0 : padded;
  }
}
