/**
 * Value checks per cyber-observable type (STIX 2.1 §6): what an `ipv4-addr`, `domain-name`, … value
 * and the same value compared in an indicator pattern must look like, and its canonical form for
 * exports. Pure; shared by validation (every way in) and the exports (every way out).
 */
import { ipv4Problem, ipv6Problem } from './ip.ts';
import { checkDomainName, checkEmailAddress, checkUrl, type NameCheck } from './names.ts';

export { isUnspecifiedAddress, MIN_IPV4_PREFIX, MIN_IPV6_PREFIX } from './ip.ts';

export type ValueType = 'ipv4-addr' | 'ipv6-addr' | 'domain-name' | 'url' | 'email-addr' | 'mac-addr';
export type ValueCheck = NameCheck;

const VALUE_TYPES: ReadonlySet<string> = new Set<ValueType>([
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'url',
  'email-addr',
  'mac-addr',
]);

/** §6.6: "a single colon-delimited, lowercase MAC-48 address, which MUST include leading zeros". */
const MAC_RE = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

export function isValueType(type: string): type is ValueType {
  return VALUE_TYPES.has(type);
}

function fromProblem(value: string, problem: string | undefined): ValueCheck {
  return problem === undefined ? { ok: true, canonical: value } : { ok: false, problem };
}

/**
 * Checks the `value` of an observable of `type` (attacker-controlled).
 *
 * @example
 * checkObservableValue('ipv4-addr', '999.1.1.1'); // { ok: false, problem: '…' }
 * checkObservableValue('domain-name', 'ПРИМЕР.рф'); // { ok: true, canonical: 'xn--e1afmkfd.xn--p1ai' }
 */
export function checkObservableValue(type: ValueType, value: string): ValueCheck {
  switch (type) {
    case 'ipv4-addr':
      return fromProblem(value, ipv4Problem(value));
    case 'ipv6-addr':
      return fromProblem(value.toLowerCase(), ipv6Problem(value));
    case 'domain-name':
      return checkDomainName(value);
    case 'url':
      return checkUrl(value);
    case 'email-addr':
      return checkEmailAddress(value);
    case 'mac-addr':
      return fromProblem(
        value,
        MAC_RE.test(value) ? undefined : 'a lower-case, colon-delimited MAC-48 address with leading zeros',
      );
  }
}
