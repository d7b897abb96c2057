/**
 * The relationships STIX 2.1 §4 defines between SDOs (and to SCOs), by source type. Any pair may
 * also use the common types of §5.1. Others are allowed but SHOULD come from these tables, so the
 * validator warns on them, as cti-stix-validator's relationship check does.
 */
const SCO_ADDRESSES = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url'];

export const COMMON_RELATIONSHIPS: ReadonlySet<string> = new Set([
  'derived-from',
  'duplicate-of',
  'related-to',
]);

type Table = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export const RELATIONSHIPS: Table = {
  'attack-pattern': {
    delivers: ['malware'],
    targets: ['identity', 'location', 'vulnerability'],
    uses: ['malware', 'tool'],
  },
  campaign: {
    'attributed-to': ['intrusion-set', 'threat-actor'],
    compromises: ['infrastructure'],
    'originates-from': ['location'],
    targets: ['identity', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  'course-of-action': {
    investigates: ['indicator'],
    mitigates: ['attack-pattern', 'indicator', 'malware', 'tool', 'vulnerability'],
    remediates: ['malware', 'vulnerability'],
  },
  identity: { 'located-at': ['location'] },
  indicator: {
    indicates: [
      'attack-pattern',
      'campaign',
      'infrastructure',
      'intrusion-set',
      'malware',
      'threat-actor',
      'tool',
    ],
    'based-on': ['observed-data'],
  },
  infrastructure: {
    'communicates-with': ['infrastructure', ...SCO_ADDRESSES],
    'consists-of': ['infrastructure', 'observed-data', '*sco'],
    controls: ['infrastructure', 'malware'],
    delivers: ['malware'],
    has: ['vulnerability'],
    hosts: ['tool', 'malware'],
    'located-at': ['location'],
    uses: ['infrastructure'],
  },
  'intrusion-set': {
    'attributed-to': ['threat-actor'],
    compromises: ['infrastructure'],
    hosts: ['infrastructure'],
    owns: ['infrastructure'],
    'originates-from': ['location'],
    targets: ['identity', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  malware: {
    'authored-by': ['threat-actor', 'intrusion-set'],
    'beacons-to': ['infrastructure'],
    'exfiltrates-to': ['infrastructure'],
    'communicates-with': SCO_ADDRESSES,
    controls: ['malware'],
    downloads: ['malware', 'tool', 'file'],
    drops: ['malware', 'tool', 'file'],
    exploits: ['vulnerability'],
    'originates-from': ['location'],
    targets: ['identity', 'infrastructure', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
    'variant-of': ['malware'],
  },
  'malware-analysis': {
    characterizes: ['malware'],
    'analysis-of': ['malware'],
    'static-analysis-of': ['malware'],
    'dynamic-analysis-of': ['malware'],
  },
  'threat-actor': {
    'attributed-to': ['identity'],
    compromises: ['infrastructure'],
    hosts: ['infrastructure'],
    owns: ['infrastructure'],
    impersonates: ['identity'],
    'located-at': ['location'],
    targets: ['identity', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  tool: {
    delivers: ['malware'],
    drops: ['malware'],
    has: ['vulnerability'],
    targets: ['identity', 'infrastructure', 'location', 'vulnerability'],
    uses: ['infrastructure'],
  },
};

/**
 * True when the specification defines `relationshipType` from `sourceType` to `targetType`, or
 * it is a common relationship. `isSco` tells whether a type is a cyber-observable.
 */
export function isDefinedRelationship(
  sourceType: string,
  relationshipType: string,
  targetType: string,
  isSco: (type: string) => boolean,
): boolean {
  if (COMMON_RELATIONSHIPS.has(relationshipType)) return true;
  const targets = RELATIONSHIPS[sourceType]?.[relationshipType];
  if (targets === undefined) return false;
  return targets.includes(targetType) || (targets.includes('*sco') && isSco(targetType));
}
