import { ipv4Problem, ipv6Problem } from './ip.ts';

/** A label of a domain name in ASCII form: LDH plus `_` (RFC 1034 §3.5; DNS allows `_` in names). */
const ASCII_LABEL_RE = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** Characters a domain name may be written with: letters, marks, digits (any script), `-`, `_`, `.`. */
const NAME_CHARS_RE = /^[\p{L}\p{M}\p{N}_.-]+$/u;
const DOT_ATOM_RE = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** The host of a hierarchical URL, read from the text as written (not as WHATWG rewrites it). */
const AUTHORITY_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)/;
const SPECIAL_SCHEMES = new Set(['http', 'https', 'ftp', 'ws', 'wss']);

export type NameCheck =
  | { readonly ok: true; readonly canonical: string }
  | { readonly ok: false; readonly problem: string };

const refuse = (problem: string): NameCheck => ({ ok: false, problem });

/**
 * A domain name (STIX 2.1 §6.3: RFC 1034, labels per RFC 5890). At least two labels, so a bare
 * top-level domain (`com`) is refused; the last label is not all digits (so `999.1.1.1` is not a
 * name); no whitespace, control or format characters, no `*`. Internationalized names are
 * accepted as A-labels (`xn--…`) or as U-labels, which are converted with the UTS #46 mapping of
 * the WHATWG URL host parser; `canonical` is the lower-case A-label form, what resolvers and
 * blocklists use.
 */
export function checkDomainName(value: string): NameCheck {
  if (value.length === 0 || value.length > 253) return refuse('a domain name is 1–253 characters');
  if (!NAME_CHARS_RE.test(value))
    return refuse("a domain name has only letters, digits, '-', '_' and '.' (no spaces or wildcards)");
  let ascii: string;
  try {
    ascii = new URL(`http://${value}`).hostname;
  } catch {
    return refuse('not a valid internationalized domain name (RFC 5890)');
  }
  if (ascii.length > 253) return refuse('a domain name is at most 253 characters in A-label form');
  const labels = ascii.split('.');
  if (labels.length < 2) return refuse('a domain name has at least two labels');
  if (!labels.every((l) => ASCII_LABEL_RE.test(l)))
    return refuse("each label is 1–63 characters and does not start or end with '-'");
  if (/^\d+$/.test(labels.at(-1) ?? '')) return refuse('the top-level label is not all digits');
  return { ok: true, canonical: ascii };
}

/**
 * An e-mail address (STIX 2.1 §6.2: RFC 5322 addr-spec): a dot-atom local part of at most 64
 * characters (RFC 6531 allows non-ASCII letters) and a domain name or an address literal.
 * Quoted local parts are refused: they are rare in intelligence and read differently by every
 * mail filter.
 */
export function checkEmailAddress(value: string): NameCheck {
  if (value.length > 254) return refuse('an e-mail address is at most 254 characters');
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (at < 1 || local.length > 64 || !DOT_ATOM_RE.test(local))
    return refuse('the local part is 1–64 characters of a dot-atom (RFC 5322 §3.4.1)');
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const literal = domain.slice(1, -1);
    const problem = literal.startsWith('IPv6:')
      ? ipv6Problem(literal.slice(5), false)
      : ipv4Problem(literal, false);
    return problem === undefined ? { ok: true, canonical: value } : refuse(problem);
  }
  const name = checkDomainName(domain);
  return name.ok ? { ok: true, canonical: `${local}@${name.canonical}` } : name;
}

/**
 * A URL (STIX 2.1 §6.11: RFC 3986): printable ASCII without spaces, with a scheme, that the WHATWG
 * URL parser accepts. For http(s), ftp and ws(s) the host as written must be a domain name, a
 * dotted-quad IPv4 address or a bracketed IPv6 address, so shorthand such as `http://0x7f.1/`
 * (which browsers read as 127.0.0.1 and a list parser does not) is refused.
 */
export function checkUrl(value: string): NameCheck {
  if (!/^[\x21-\x7e]+$/.test(value))
    return refuse('a URL is printable ASCII without spaces; percent-encode the rest (RFC 3986 §2.1)');
  const scheme = SCHEME_RE.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return refuse('not an absolute URL (no scheme)');
  if (!URL.canParse(value)) return refuse('not a parseable URL');
  if (!SPECIAL_SCHEMES.has(scheme)) return { ok: true, canonical: value };
  const host = AUTHORITY_RE.exec(value)?.[1];
  if (host === undefined || host === '') return refuse(`a ${scheme} URL has a host after "//"`);
  const problem = host.startsWith('[')
    ? ipv6Problem(host.slice(1, -1), false)
    : /^[\d.]+$/.test(host)
      ? ipv4Problem(host, false)
      : nameProblem(host);
  return problem === undefined ? { ok: true, canonical: value } : refuse(problem);
}

function nameProblem(host: string): string | undefined {
  const name = checkDomainName(host);
  return name.ok ? undefined : name.problem;
}
