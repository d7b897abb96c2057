/**
 * Names people read to decide who they deal with — organization names above all, and members'
 * display names — so that nobody can pose as another member (issue 11, §3). Pure: no I/O.
 *
 * A name is stored in one canonical form ({@link normalizeName}): Unicode NFKC (UAX #15), so that
 * compatibility variants (fullwidth `Ｗａｋｅ`, mathematical `𝐖𝐚𝐤𝐞`, ligatures) become their
 * plain letters; whitespace runs collapsed to one space; and no character that is invisible or
 * changes how the rest is displayed (zero-width, bidirectional controls: Trojan Source,
 * CVE-2021-42574) — those are refused, not silently removed, so what a person typed is what is
 * shown.
 *
 * Two names are confusable when their {@link nameSkeleton}s are equal: the idea of Unicode TR39
 * §4 ("Confusable Detection"), made coarser for names that must be told apart at a glance:
 * case-folded, accents dropped, common Cyrillic, Greek and Armenian look-alikes and `0/O`,
 * `1/l/I/i/|` mapped to one Latin letter (`i` too, or `ILLINOIS` and `Illinois` would differ, as
 * capital `I` must meet `l`), `rn`/`m` and `vv`/`w` merged, and spaces and punctuation ignored.
 * The whole confusables.txt data file is not shipped: this table covers the look-alikes of the
 * Latin letters that organization names are written in here; it errs towards calling names
 * confusable, since a refused name can be changed and a convincing impostor cannot be unseen.
 */

export type NameProblem =
  /** Empty after normalization, or longer than the field allows. */
  | 'length'
  /** A control, format (Cf: zero-width, bidi), private-use or surrogate code point, or an invisible filler. */
  | 'invisible';

export type NormalizedName =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly problem: NameProblem };

/**
 * Code points refused in names: categories Cc (controls), Cf (format: U+200B–U+200F zero-width and
 * marks, U+202A–U+202E and U+2066–U+2069 bidirectional controls, U+2060 word joiner, U+FEFF,
 * U+00AD soft hyphen, …), Co (private use), Cs (lone surrogates), Zl/Zp (line and paragraph
 * separators), and marks and letters that render as nothing: U+034F combining grapheme joiner,
 * variation selectors, Mongolian free variation selectors, Khmer inherent vowels, Hangul fillers,
 * U+2800 braille blank.
 */
const REFUSED_CATEGORIES = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u;
/** Invisible code points of other categories, as [first, last] ranges. */
const INVISIBLE: readonly (readonly [number, number])[] = [
  [0x034f, 0x034f],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x2800, 0x2800],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xffa0, 0xffa0],
  [0xe0100, 0xe01ef],
];

function refused(s: string): boolean {
  if (REFUSED_CATEGORIES.test(s)) return true;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (INVISIBLE.some(([first, last]) => cp >= first && cp <= last)) return true;
  }
  return false;
}

/**
 * The canonical form of a name (attacker-controlled input), or why it is refused. Idempotent:
 * a name it returns normalizes to itself.
 */
export function normalizeName(value: string, max = 200): NormalizedName {
  // Checked before NFKC too: normalization must not be what hides a refused code point.
  if (refused(value)) return { ok: false, problem: 'invisible' };
  const name = value.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  if (refused(name)) return { ok: false, problem: 'invisible' };
  if (name.length === 0 || name.length > max) return { ok: false, problem: 'length' };
  return { ok: true, name };
}

/**
 * Look-alikes of Latin letters and digits, applied after NFKD and before case folding (so that
 * capital `I` can be mapped to `l`, as TR39 does). Keys are single code points.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  // Digits and ASCII that pass for letters.
  '0': 'o',
  '1': 'l',
  I: 'l',
  '|': 'l',
  // Latin letters that pass for others.
  i: 'l',
  ı: 'l',
  ȷ: 'j',
  ɡ: 'g',
  ɑ: 'a',
  ʟ: 'l',
  ɩ: 'l',
  ß: 'ss',
  // Cyrillic capitals.
  А: 'a',
  В: 'b',
  Е: 'e',
  Ё: 'e',
  З: '3',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  У: 'y',
  Х: 'x',
  Ѕ: 's',
  І: 'l',
  Ї: 'l',
  Ј: 'j',
  Ԛ: 'q',
  Ԝ: 'w',
  Ү: 'y',
  Ӏ: 'l',
  Һ: 'h',
  Ԁ: 'd',
  // Cyrillic small letters.
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'l',
  ї: 'l',
  ј: 'j',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  ӏ: 'l',
  ɴ: 'n',
  // Greek capitals.
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'l',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  // Greek small letters.
  α: 'a',
  ι: 'l',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  // Armenian.
  օ: 'o',
  ս: 'u',
  ո: 'n',
  հ: 'h',
  ց: 'g',
  ք: 'p',
  Տ: 's',
  Օ: 'o',
};

function mapLookalikes(s: string): string {
  let out = '';
  for (const ch of s) out += LOOKALIKES[ch] ?? ch;
  return out;
}

/**
 * The skeleton of a name: equal skeletons mean the names look alike. Total (any string has one)
 * and idempotent (a skeleton is its own skeleton).
 */
export function nameSkeleton(name: string): string {
  const folded = mapLookalikes(name.normalize('NFKD'))
    // Accents and other combining marks: `Bánk` passes for `Bank`.
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  return (
    mapLookalikes(folded.normalize('NFKD'))
      .replace(/\p{M}/gu, '')
      // Spaces, punctuation and symbols carry no identity: `Wake-County` is `Wake County`.
      .replace(/[^\p{L}\p{N}]/gu, '')
      .replace(/rn/g, 'm')
      .replace(/vv/g, 'w')
  );
}

/** Whether two names look alike (their skeletons are equal). */
export function namesConfusable(a: string, b: string): boolean {
  return nameSkeleton(a) === nameSkeleton(b);
}
