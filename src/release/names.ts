/**
 * Release ids: checked while parsing inputs, before any connection, so a hostile value never
 * reaches a shell.
 */

import { utcStamp } from '../core/clock.js';

export const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const RELEASE_ID_TEXT = 'a release id of letters, digits, ".", "_" and "-" (at most 128, no "..")';

export function isSafeReleaseId(value: string): boolean {
  return RELEASE_ID.test(value) && !value.includes('..');
}

/** The release id when none is given: the UTC stamp, then the short commit sha when known. */
export function defaultReleaseId(now: number, sha: string): string {
  return sha ? `${utcStamp(new Date(now))}-${sha.slice(0, 7)}` : utcStamp(new Date(now));
}
