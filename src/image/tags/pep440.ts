/** A PEP 440 version (Python packages' tags such as 1.2rc1, 1.0.post2, 2.0.dev3), normalised as `packaging` does. */
export interface Pep440 {
  raw: string;
  /** The normalised form: `1.1beta2` → `1.1b2`, `1.0dev4` → `1.0.dev4`. */
  version: string;
  major: number;
  minor: number;
  patch: number;
  /** A pre-, post- or dev-release: only its full version is tagged, and it never takes latest. */
  unstable: boolean;
}

const PEP440 =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

const PRE_LETTER: Record<string, string> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };

export function parsePep440(text: string): Pep440 | undefined {
  const m = PEP440.exec(text);
  if (!m) return undefined;
  const [, epoch, release, pre, preN, postImplicit, post, postN, dev, devN, local] = m;
  const numbers = release!.split('.').map(Number);
  let version = `${epoch && Number(epoch) !== 0 ? `${Number(epoch)}!` : ''}${numbers.join('.')}`;
  if (pre) version += `${PRE_LETTER[pre.toLowerCase()]}${Number(preN ?? 0)}`;
  const postNumber = postImplicit ?? (post ? (postN ?? '0') : undefined);
  if (postNumber !== undefined) version += `.post${Number(postNumber)}`;
  if (dev) version += `.dev${Number(devN ?? 0)}`;
  if (local) version += `+${local.toLowerCase().replace(/[-_]/g, '.')}`;
  return {
    raw: text,
    version,
    major: numbers[0]!,
    minor: numbers[1] ?? 0,
    patch: numbers[2] ?? 0,
    unstable: pre !== undefined || postNumber !== undefined || dev !== undefined,
  };
}
