import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatternSyntaxError } from './errors.ts';
import { parsePattern } from './parser.ts';
import { printPattern } from './printer.ts';

// The OASIS cti-pattern-validator's STIX 2.1 expectations (its test_validator.py and the §9
// specification examples), restated as tables.
const PASS = [
  '[file:size = 1280]',
  '[file:size != 1280]',
  '[file:size >= 1024]',
  "[file:file_name = 'my_file_name']",
  "[file:extended_properties.'ntfs-ext'.sid = '234']",
  "[emailaddr:value MATCHES '.+\\\\@ibm\\\\.com$' OR file:name MATCHES '^Final Report.+\\\\.exe$']",
  "[ipv4addr:value NOT ISSUBSET '192.168.0.1/24']",
  "[user-account:value = 'Peter'] AND [user-account:value != 'Paul'] AND [user-account:value = 'Mary'] WITHIN 5 SECONDS",
  "[file:file_name IN ('test.txt', 'test2.exe', 'README')]",
  "[network-connection:extended_properties[0].source_payload MATCHES 'dGVzdHRlc3R0ZXN0']",
  "[x_whatever:detected == t'2018-03-22T12:11:14.1Z']",
  "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
  '[foo:bar=1] REPEATS 9 TIMES',
  '( [(network-traffic:dst_port IN(443,6443,8443) AND network-traffic:src_packets != 0) ])',
  "([win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar']) WITHIN 5 SECONDS WITHIN 6 SECONDS",
  "([win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] REPEATS 2 TIMES) REPEATS 2 TIMES",
  "[network-traffic:src_port = 37020 AND user-account:user_id = 'root'] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' OR [ipv4-addr:value = '192.168.122.83'] START t'2016-06-01T03:55:00.123Z' STOP t'2016-06-01T04:30:24.743Z'",
  "[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
  "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
  "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
  "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
  "[(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z']",
  "[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS",
  "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
  "([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo']",
];

const FAIL: readonly [string, string, number][] = [
  ['file:size = 1280', 'PATTERN_UNEXPECTED_TOKEN', 1],
  ['[file:size = ]', 'PATTERN_UNEXPECTED_TOKEN', 14],
  ['[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]', 'PATTERN_UNEXPECTED_TOKEN', 20],
  ['[file.size = 1280]', 'PATTERN_UNEXPECTED_TOKEN', 6],
  ['[file:name MATCHES /.*\\.dll/]', 'PATTERN_UNEXPECTED_CHARACTER', 20],
  ["[win-registry-key:key = 'hkey'] WITHIN ]", 'PATTERN_UNEXPECTED_TOKEN', 40],
  ["[win-registry-key:key = 'hkey'] WITHIN 5 HOURS]", 'PATTERN_UNEXPECTED_TOKEN', 42],
  ["[win-registry-key:key = 'hkey'] WITHIN -5 SECONDS]", 'PATTERN_UNEXPECTED_TOKEN', 40],
  ['[network-traffic:dst_ref.value ISSUBSET ]', 'PATTERN_UNEXPECTED_TOKEN', 41],
  ["[file:hashes.MD5 =? 'cead3f77f6cda6ec00f57d76c9a6879f']", 'PATTERN_UNEXPECTED_CHARACTER', 19],
  ["[x_whatever:detected == t'2457-73-22T32:81:84.1Z']", 'PATTERN_INVALID_LITERAL', 25],
  ["[artifact:payload_bin = b'====']", 'PATTERN_INVALID_LITERAL', 25],
  ['[foo:bar=1] within 2 seconds', 'PATTERN_UNEXPECTED_TOKEN', 13],
  ["[file:hashes.'SHA-256' = 'f00']", 'PATTERN_INVALID_LITERAL', 24],
  ["[win-registry-key:key = 'hkey'] WITHIN 5 SECONDS WITHIN 6 SECONDS", 'PATTERN_INVALID_QUALIFIER', 50],
  ["([win-registry-key:key = 'hkey'] REPEATS 2 TIMES REPEATS 3 TIMES)", 'PATTERN_INVALID_QUALIFIER', 50],
  [
    "[win-registry-key:key = 'hkey'] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'",
    'PATTERN_INVALID_QUALIFIER',
    100,
  ],
  ['[file:extensions.windows-pebinary-ext.sections[*].entropy > 7.0]', 'PATTERN_UNEXPECTED_TOKEN', 18],
];

describe('agreement with cti-pattern-validator (STIX 2.1)', () => {
  for (const text of PASS) {
    it(`accepts ${text.slice(0, 70)}`, () => {
      const ast = parsePattern(text);
      assert.deepEqual(parsePattern(printPattern(ast)), ast);
    });
  }
  for (const [text, code, column] of FAIL) {
    it(`rejects ${text.slice(0, 60)} (${code} at column ${column})`, () => {
      assert.throws(
        () => parsePattern(text),
        (e: unknown) => e instanceof PatternSyntaxError && e.code === code && e.position.column === column,
      );
    });
  }
});
