/**
 * SQL LIKE matching for the LIKE operator (STIX 2.1 §9.6.2): `%` matches any sequence, `_` one
 * character; the whole value must match. Works on code points with the classic two-pointer
 * algorithm: O(|value| × |pattern|) in the worst case, no recursion, no regular expression.
 */
export function likeMatches(value: string, pattern: string): boolean {
  const s = Array.from(value);
  const p = Array.from(pattern);
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const pc = p[pi];
    if (pc !== undefined && pc !== '%' && (pc === '_' || pc === s[si])) {
      si++;
      pi++;
    } else if (pc === '%') {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (p[pi] === '%') pi++;
  return pi === p.length;
}
