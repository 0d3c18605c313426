import type { Readable } from 'node:stream';

import type { RunContext } from '../../core/action.js';
import type { SourceCommand } from '../../core/stream-process.js';
import type { DatabaseTarget, EngineName } from './url.js';

/** A running dump: `stdout` is the dump; `done` rejects when the tool failed (then the dump is incomplete). */
export interface DumpStream {
  stdout: Readable;
  done: Promise<void>;
}

/** The per-engine commands behind backup, verify and restore; one implementation per engine. */
export interface DumpEngine {
  readonly name: EngineName;
  /** File extension of a raw dump (before compression/encryption). */
  readonly extension: string;
  /** Whether a failed in-place restore (`clean`) leaves the database as it was: one transaction or one file rename. */
  readonly atomicRestore: boolean;
  /** Checks the client tools against the server and returns their versions for the manifest. */
  checkTools(db: DatabaseTarget, ctx: RunContext): Promise<Record<string, string>>;
  /**
   * The runner's client tool versions alone (no server needed), memoized per run: a caller may start them
   * early (while an SSH connection opens) and checkTools then takes the same answer.
   */
  clientTools?(ctx: RunContext): Promise<Record<string, string>>;
  dump(db: DatabaseTarget, ctx: RunContext): Promise<DumpStream>;
  /** The dump as a command, for engines whose dump is one program's stdout: the backup wires it straight into zstd. */
  dumpCommand?(db: DatabaseTarget, ctx: RunContext): Promise<SourceCommand>;
  /**
   * Restores a dump into database `name` (which exists, see createDatabase); `clean` drops existing objects first, atomically where
   * the engine can; `noPrivileges` skips GRANTs (a scratch server has none of the roles they name).
   */
  restore(
    db: DatabaseTarget,
    name: string,
    input: Readable,
    options: { clean: boolean; noPrivileges?: boolean },
    ctx: RunContext,
  ): Promise<void>;
  /** Whether database `name` exists (a restore onto a new server finds none). */
  exists(db: DatabaseTarget, name: string, ctx: RunContext): Promise<boolean>;
  createDatabase(db: DatabaseTarget, name: string, ctx: RunContext): Promise<void>;
  dropDatabase(db: DatabaseTarget, name: string, ctx: RunContext): Promise<void>;
  /** Runs a query in database `name`; returns the first column of the first row as text. */
  query(db: DatabaseTarget, name: string, sql: string, ctx: RunContext): Promise<string>;
  /** Puts database `from` in place of db.database in one step, keeping the old one as `keepAs`. Absent where the engine cannot. */
  swap?(db: DatabaseTarget, from: string, keepAs: string, ctx: RunContext): Promise<void>;
}
