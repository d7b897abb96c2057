// Pattern parses per second and evaluations per second on a mixed corpus (issue 3 benchmarks).
import { matchPattern, parsePattern } from '../src/patterns/index.ts';
import { fmt, opsPerSecond } from './patterns/support.ts';

const corpus = [
  "[ipv4-addr:value = '198.51.100.7']",
  "[domain-name:value = 'login-update.example']",
  "[url:value = 'http://login-update.example/vote/status.php']",
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "[ipv4-addr:value ISSUBSET '203.0.113.0/24' OR ipv6-addr:value ISSUBSET '2001:db8::/32']",
  "[email-message:from_ref.value MATCHES '.+@election-office\\\\.example$' AND email-message:subject LIKE '%ballot%']",
  "[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port IN (443, 8443)] REPEATS 3 TIMES WITHIN 600 SECONDS",
  "[domain-name:value = 'evil.example'] FOLLOWEDBY [url:value LIKE '%/wp-login.php%'] WITHIN 300 SECONDS",
  "[process:command_line MATCHES 'powershell(\\\\.exe)? -enc' AND process:name = 'powershell.exe'] START t'2024-11-01T00:00:00Z' STOP t'2024-11-06T00:00:00Z'",
  "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Run' AND windows-registry-key:values[*].data LIKE '%.vbs']",
];

const parse = opsPerSecond((i) => {
  parsePattern(corpus[i % corpus.length]!);
});
console.log(
  `pattern parses: ${fmt(parse.perSecond)} /s (mixed corpus of ${corpus.length}, ${fmt(parse.ops)} parses)`,
);

const T0 = '2024-11-05T12:00:00Z';
const T1 = '2024-11-05T12:02:00Z';
const od = (n: number, first: string, objects: Record<string, unknown>) => ({
  type: 'observed-data',
  id: `observed-data--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  first_observed: first,
  last_observed: first,
  number_observed: 1,
  objects,
});
const data = [
  od(1, T0, {
    '0': { type: 'ipv4-addr', value: '198.51.100.7' },
    '1': { type: 'network-traffic', dst_ref: '0', dst_port: 443, protocols: ['tcp'] },
    '2': { type: 'domain-name', value: 'evil.example' },
  }),
  od(2, T1, {
    '0': { type: 'url', value: 'http://evil.example/wp-login.php?x=1' },
    '1': { type: 'email-addr', value: 'clerk@election-office.example' },
    '2': { type: 'email-message', from_ref: '1', subject: 'Your ballot status', is_multipart: false },
    '3': { type: 'process', name: 'powershell.exe', command_line: 'powershell.exe -enc SQBFAFgA' },
  }),
];
const asts = corpus.map((p) => parsePattern(p));
const evals = opsPerSecond((i) => {
  matchPattern(asts[i % asts.length]!, data, { stixVersion: '2.0' });
});
console.log(
  `pattern evaluations: ${fmt(evals.perSecond)} /s (same corpus against 2 observed-data with 7 SCOs)`,
);
