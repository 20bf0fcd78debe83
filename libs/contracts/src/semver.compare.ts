// SemVer 2.0 without build metadata: build metadata has no precedence, so two folders
// differing only by it could not be ordered. Kept local so this library has no runtime
// dependency beyond ajv (it is meant to be publishable for integrators' CI).
const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;

export function isSemver(version: string): boolean {
  return SEMVER_RE.test(version);
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an !== bn) return an ? -1 : 1; // numeric identifiers sort before alphanumeric ones
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer 2.0 §11 precedence; both arguments must satisfy isSemver. */
export function compareSemver(a: string, b: string): number {
  const ma = SEMVER_RE.exec(a);
  const mb = SEMVER_RE.exec(b);
  if (!ma || !mb) throw new TypeError(`not a semantic version: ${ma ? b : a}`);
  for (let i = 1; i <= 3; i++) {
    const diff = Number(ma[i]) - Number(mb[i]);
    if (diff !== 0) return Math.sign(diff);
  }
  const pa = ma[4]?.split('.');
  const pb = mb[4]?.split('.');
  if (!pa || !pb) return pa ? -1 : pb ? 1 : 0; // a pre-release sorts before its release
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const diff = compareIdentifiers(pa[i], pb[i]);
    if (diff !== 0) return Math.sign(diff);
  }
  return Math.sign(pa.length - pb.length);
}
