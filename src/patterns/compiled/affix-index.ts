import { addHandle, type Handles, type Hits, removeHandle } from './hits.ts';

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  /** Handles whose affix ends at this node, stored under the empty key. */
  readonly handles: Map<'', Handles>;
}

const node = (): TrieNode => ({ children: new Map(), handles: new Map() });

/**
 * Literal prefixes (`LIKE 'abc%'`) and suffixes (`LIKE '%.example'`) of LIKE patterns in two
 * character tries. Looking a value up walks at most its length in each trie, whatever the number
 * of patterns; the patterns found are candidates that are then evaluated in full.
 */
export class AffixIndex {
  readonly #prefixes = node();
  readonly #suffixes = node();

  add(kind: 'prefix' | 'suffix', text: string, stored: number): void {
    let at = kind === 'prefix' ? this.#prefixes : this.#suffixes;
    const chars = Array.from(text);
    if (kind === 'suffix') chars.reverse();
    for (const c of chars) {
      let next = at.children.get(c);
      if (next === undefined) {
        next = node();
        at.children.set(c, next);
      }
      at = next;
    }
    addHandle(at.handles, '', stored);
  }

  remove(kind: 'prefix' | 'suffix', text: string, stored: number): boolean {
    let at: TrieNode | undefined = kind === 'prefix' ? this.#prefixes : this.#suffixes;
    const chars = Array.from(text);
    if (kind === 'suffix') chars.reverse();
    for (const c of chars) at = at?.children.get(c);
    return at !== undefined && removeHandle(at.handles, '', stored);
  }

  /** Adds to `hits` every pattern whose literal prefix or suffix the value has. */
  lookup(value: string, hits: Hits): void {
    const chars = Array.from(value);
    this.#walk(this.#prefixes, chars, false, hits);
    this.#walk(this.#suffixes, chars, true, hits);
  }

  #walk(root: TrieNode, chars: readonly string[], reverse: boolean, hits: Hits): void {
    let at: TrieNode | undefined = root;
    for (let i = 0; i < chars.length && at !== undefined; i++) {
      at = at.children.get(chars[reverse ? chars.length - 1 - i : i]!);
      const found = at?.handles.get('');
      if (found !== undefined) hits.take(found);
    }
  }
}

/** The longest literal anchor of a LIKE pattern: its prefix before the first wildcard, or its suffix after the last. */
export function likeAffix(
  pattern: string,
): { readonly kind: 'prefix' | 'suffix'; readonly text: string } | undefined {
  const chars = Array.from(pattern);
  let head = 0;
  while (head < chars.length && chars[head] !== '%' && chars[head] !== '_') head++;
  let tail = chars.length;
  while (tail > 0 && chars[tail - 1] !== '%' && chars[tail - 1] !== '_') tail--;
  const prefix = chars.slice(0, head).join('');
  const suffix = head === chars.length ? '' : chars.slice(tail).join('');
  if (prefix === '' && suffix === '') return undefined;
  return prefix.length >= suffix.length ? { kind: 'prefix', text: prefix } : { kind: 'suffix', text: suffix };
}
