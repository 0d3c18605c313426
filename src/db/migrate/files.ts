import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConfigurationError } from '../../core/errors.js';
import { requireDirectory } from '../../core/inputs.js';

/** The `-- migrate:up` or `-- migrate:down` part of a file and the file line its text starts on. */
export interface Section {
  sql: string;
  startLine: number;
}

export interface MigrationFile {
  /** The number before the first underscore, as written ("0001"). */
  version: string;
  /** The rest of the name ("create_users"). */
  name: string;
  /** The file name without .sql ("0001_create_users"): what outputs and the summary list. */
  id: string;
  file: string;
  /** sha256 of the file's bytes, hex. */
  checksum: string;
  up: Section;
  down?: Section;
  /** False when the file says `-- migrate:no-transaction` (CREATE INDEX CONCURRENTLY and the like). */
  transaction: boolean;
}

const FILE_NAME = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;
const MARKER = /^--\s*migrate:([a-z-]+)\s*$/;

/** Splits a migration file into its sections; `file` is only for messages. */
export function parseMigration(file: string, text: string): Pick<MigrationFile, 'up' | 'down' | 'transaction'> {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const sections: Partial<Record<'up' | 'down', { from: number; lines: string[] }>> = {};
  let current: { from: number; lines: string[] } | undefined;
  let transaction = true;
  if (!lines.some((line) => MARKER.exec(line.trim())?.[1] === 'up')) {
    throw new ConfigurationError(
      `${file}: no "-- migrate:up" line; a migration file has "-- migrate:up" and optionally "-- migrate:down" sections`,
    );
  }
  lines.forEach((line, index) => {
    const marker = MARKER.exec(line.trim())?.[1];
    if (marker === undefined) {
      if (current) current.lines.push(line);
      else if (line.trim() !== '' && !line.trim().startsWith('--')) {
        throw new ConfigurationError(`${file}:${index + 1}: SQL before the "-- migrate:up" line; put it in the up section`);
      }
      return;
    }
    if (marker === 'no-transaction') {
      transaction = false;
      return;
    }
    if (marker !== 'up' && marker !== 'down') {
      throw new ConfigurationError(
        `${file}:${index + 1}: unknown marker "-- migrate:${marker}" (expected migrate:up, migrate:down or migrate:no-transaction)`,
      );
    }
    if (sections[marker]) throw new ConfigurationError(`${file}:${index + 1}: a second "-- migrate:${marker}" section`);
    current = { from: index + 2, lines: [] };
    sections[marker] = current;
  });
  const section = (s: { from: number; lines: string[] }): Section => ({ sql: s.lines.join('\n'), startLine: s.from });
  const down =
    sections.down && sections.down.lines.some((l) => l.trim() !== '' && !l.trim().startsWith('--')) ? section(sections.down) : undefined;
  return { up: section(sections.up!), down, transaction };
}

/** Reads every NNNN_name.sql file of a directory, sorted by number; duplicate numbers are an error. */
export function loadMigrations(dir: string, input = 'dir'): MigrationFile[] {
  requireDirectory(input, dir);
  const files: MigrationFile[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      if (file.endsWith('.sql'))
        throw new ConfigurationError(
          `input "${input}": ${file} is not named NNNN_name.sql (digits, "_", then letters, digits, "_", "." or "-")`,
        );
      continue;
    }
    const bytes = readFileSync(join(dir, file));
    files.push({
      version: match[1]!,
      name: match[2]!,
      id: file.slice(0, -4),
      file,
      checksum: createHash('sha256').update(bytes).digest('hex'),
      ...parseMigration(file, bytes.toString('utf8')),
    });
  }
  files.sort((a, b) => compareVersions(a.version, b.version));
  for (let i = 1; i < files.length; i += 1) {
    if (compareVersions(files[i - 1]!.version, files[i]!.version) === 0) {
      throw new ConfigurationError(`input "${input}": ${files[i - 1]!.file} and ${files[i]!.file} have the same version number`);
    }
  }
  return files;
}

/** Numeric order of version strings of any length ("2" < "10", "0002" = "2"). */
export function compareVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One key per version number, however it is written ("0002" and "2" → "2"): equal keys compare as 0. */
export function versionKey(version: string): string {
  return BigInt(version).toString();
}
