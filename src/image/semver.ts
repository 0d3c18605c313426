/** A SemVer 2.0.0 version read from a git tag (a leading `v` or `=` is dropped, as semver.clean does). */
export interface Semver {
  /** The text as given (`v1.2.3`). */
  raw: string;
  /** Normalised `1.2.3-rc.1+build`. */
  version: string;
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
  build?: string;
}

const SEMVER = /^[v=]?\s*(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function parseSemver(text: string): Semver | undefined {
  const raw = text.trim();
  const m = SEMVER.exec(raw);
  if (!m) return undefined;
  const [, major, minor, patch, prerelease, build] = m;
  return {
    raw,
    version: `${major}.${minor}.${patch}${prerelease ? `-${prerelease}` : ''}${build ? `+${build}` : ''}`,
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease,
    build,
  };
}
