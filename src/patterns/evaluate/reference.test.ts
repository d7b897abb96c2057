import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchPattern } from './match.ts';

// Expected results of the OASIS cti-pattern-matcher (STIX 2.1 mode) on the same data, restated as
// tables: one SCO with values of every JSON type, referenced from a 2.1 observed-data that also
// carries an empty 2.0-style `objects` (object_refs wins in 2.1).
const T = '2014-04-19T06:51:26Z';
const observed = [
  {
    type: 'bundle',
    id: 'bundle--c2a23389-17c9-4247-8aa2-d2ffde3de334',
    objects: [
      {
        type: 'observed-data',
        id: 'observed-data--647947aa-4cc3-43a3-a42f-2c670986d777',
        spec_version: '2.1',
        number_observed: 1,
        first_observed: T,
        last_observed: T,
        objects: {},
        object_refs: [
          'test--9c61d8ff-21ca-489a-accd-7356c2ea0a7b',
          'null_test--9ec1884e-0f69-4b3c-84e1-5e10de68fe44',
        ],
      },
      {
        type: 'test',
        id: 'test--9c61d8ff-21ca-489a-accd-7356c2ea0a7b',
        int: 5,
        float: 12.658,
        float_int: 12.0,
        bool: true,
        string: 'hello',
        ip: '11.22.33.44',
        cidr: '11.22.33.44/20',
      },
      { type: 'null_test', id: 'null_test--9ec1884e-0f69-4b3c-84e1-5e10de68fe44', name: null },
    ],
  },
];

const MATCH = `
[test:int = 5]|[test:int NOT != 5]|[test:int > 3]|[test:int NOT < 3]|[test:int > 4.9]|[test:int <= 5]
[test:int != false]|[test:int NOT = true]|[test:int != 'world']|[test:int != h'010203']|[test:int != b'AQIDBA==']
[test:int != t'1965-07-19T22:41:38Z']|[test:int IN (-4, 5, 6.6)]|[test:int NOT IN ('a', 'b', 'c')]
[test:int NOT MATCHES 'l+']|[test:int NOT LIKE 'he%']|[test:float = 12.658]|[test:float > 12.65799]
[test:float_int IN (11, 12, 13)]|[test:float_int IN (11.1, 12, 13)]|[test:bool != 1]|[test:bool = true]
[test:bool IN (false, true, false)]|[test:bool NOT MATCHES 'l+']|[test:string = 'hello']|[test:string > 'alice']
[test:string < 'zelda']|[test:string LIKE 'he%']|[test:string LIKE 'he__o']|[test:string MATCHES 'l+']
[test:string MATCHES '.lo$']|[test:string IN ('goodbye', 'hello', 'world')]|[test:string NOT IN (1, 2, 3)]
[test:ip ISSUBSET '11.22.41.123/20']|[test:ip NOT ISSUBSET '11.22.123.41/20']|[test:cidr ISSUPERSET '11.22.41.123']
[test:cidr ISSUPERSET '11.22.41.123/29']|[test:cidr NOT ISSUPERSET '11.22.33.44/13']|[test:int NOT ISSUPERSET '11.22.33.44']
[test:bool NOT ISSUBSET '11.22.33.44']|[test:string NOT IN ()]|[null_test:name != 'alice']`;

const NO_MATCH = `
[test:int NOT = 5]|[test:int > 8]|[test:int > 5.1]|[test:int = false]|[test:int = true]|[test:int = 'world']
[test:int = h'010203']|[test:int > h'010203']|[test:int < b'AQIDBA==']|[test:int > t'1965-07-19T22:41:38Z']
[test:int LIKE 'he%']|[test:int MATCHES 'l+']|[test:int NOT IN (-4, 5, 6.6)]|[test:int IN ('a', 'b', 'c')]
[test:float != 12.658]|[test:float < 12.65799]|[test:float_int NOT IN (11, 12, 13)]|[test:bool = 1]
[test:bool != true]|[test:bool LIKE 'he%']|[test:string = 1]|[test:string NOT = 'hello']|[test:string <= 'alice']
[test:string = h'010203']|[test:string NOT LIKE 'he%']|[test:string NOT MATCHES '.lo$']|[test:string IN (1, 2, 3)]
[test:ip NOT ISSUBSET '11.22.41.123/20']|[test:ip ISSUBSET '11.22.123.41/20']|[test:cidr ISSUPERSET '11.22.33.44/13']
[test:int ISSUBSET '11.22.33.44']|[test:float ISSUPERSET '11.22.33.44']|[test:string IN ()]
[null_test:name > 'alice']|[null_test:name <= 'alice']|[null_test:name = 'alice']|[null_test:name IN ('alice', 'bob')]
[null_test:name LIKE 'alice']|[null_test:name MATCHES 'alice']|[null_test:name ISSUBSET '12.23.32.12/14']`;

const split = (table: string): string[] =>
  table
    .split(/[|\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');

describe('agreement with cti-pattern-matcher (STIX 2.1 basic operations)', () => {
  for (const pattern of split(MATCH))
    it(`${pattern} matches`, () => assert.equal(matchPattern(pattern, observed), true));
  for (const pattern of split(NO_MATCH)) {
    it(`${pattern} does not match`, () => assert.equal(matchPattern(pattern, observed), false));
  }
});
