// Types of scripts/release.mjs for the tests that call it in-process.
export interface ReleaseOptions {
  /** The checkout to release (its HEAD is tagged). */
  cwd: string;
  /** 1.2.3 or v1.2.3. */
  version: string;
  /** The git remote the tags are fetched from and pushed to (default origin). */
  remote?: string;
  /** Rebuilds dist/; the tree must be unchanged afterwards. */
  build?: string;
  /** Must exit 0 before any tag moves. */
  check?: string;
  /** Where the notes from CHANGELOG.md's section are written. */
  notesOut?: string;
}

export function release(options: ReleaseOptions): { tag: string; major: string; commit: string };
export function parseVersion(text: string): [number, number, number];
export function changelogSection(changelog: string, version: string): string | undefined;
