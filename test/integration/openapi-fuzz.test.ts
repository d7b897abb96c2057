// Fuzzes every operation of the OpenAPI document (issue 10 §5): all paths × methods, TAXII and
// anonymous ones included, without credentials and with each kind (bearer tokens of an org admin,
// an operator admin and an oversight-body admin; a browser session with CSRF), sending generated
// bad path segments, query values and bodies (wrong types, huge numbers and strings, 20,000-level
// nesting, NUL, lone surrogates, RTL, emoji, prototype keys). It asserts that no answer is a 5xx,
// that every 4xx is a coded error of the registry, and that no refused request changes the database.
// Seeded: TABELLA_FUZZ_SEED replays a run; TABELLA_FUZZ_CASES scales it (default 8 per kind).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ERROR_REGISTRY } from '../../src/core/errors.ts';
import { createGroup, shareObjects } from '../../src/features/intel/index.ts';
import { createToken } from '../../src/features/membership/index.ts';
import {
  invitationSecret,
  makeMember,
  makeOrg,
  memberWithPassword,
  memberWithToken,
  operatorAdmin,
  signedIn,
  startWithOperator,
  trustForwardedFor,
} from '../support/arrange.ts';
import type { Reply } from '../support/client.ts';
import { describeEachEngine } from '../support/databases.ts';
import { databaseState } from '../support/db-state.ts';
import {
  BAD_BODIES,
  BAD_QUERY_VALUES,
  BAD_SEGMENTS,
  BAD_VALUES,
  HUGE_NUMBERS,
  mutate,
  numberPaths,
  Prng,
  plausible,
  type Schema,
  setAt,
} from '../support/fuzz-inputs.ts';
import { indicator, memberContext } from '../support/intel.ts';
import { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';
import { TAXII } from '../support/taxii.ts';

trustForwardedFor();

const SEED = Number(process.env.TABELLA_FUZZ_SEED ?? 20261103);
const CASES = Number(process.env.TABELLA_FUZZ_CASES ?? 8);

/**
 * Refusals that are state changes by design: a failed credential check is audited and counts
 * towards lockout (docs/audit.md), and may be throttled.
 */
const AUDITED_REFUSALS = new Set(['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'INVALID_TOTP', 'RATE_LIMITED']);

interface Parameter {
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly name: string;
}
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body: Schema | undefined;
}

/** Every operation of the document, in document order. */
function operationsOf(doc: {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>>;
}): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content;
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: content === undefined ? undefined : (Object.values(content)[0]?.schema ?? {}),
      });
    }
  }
  return out;
}

interface Request {
  readonly path: string;
  readonly body: string | undefined;
  /** The plausible request, or a GET: may well succeed (and change state, e.g. audited reads). */
  readonly likelySuccess: boolean;
}

/** The generated requests of one operation for one credential. */
function requestsFor(rng: Prng, op: Operation, valid: (path: string, param: string) => string | undefined) {
  const segment = (param: string, bad: boolean) =>
    bad ? rng.pick(BAD_SEGMENTS) : (valid(op.path, param) ?? rng.pick(BAD_SEGMENTS));
  const pathWith = (badParam: string | undefined) =>
    op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
      segment(name, badParam === name || (badParam === undefined && rng.int(4) === 0)),
    );
  const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const out: Request[] = [];
  const bodyOf = () => {
    if (op.body === undefined) return rng.int(3) === 0 ? JSON.stringify(rng.pick(BAD_VALUES)) : undefined;
    return rng.int(5) === 0
      ? rng.pick(BAD_BODIES)
      : JSON.stringify(mutate(rng, plausible(op.body), rng.pick(BAD_VALUES)));
  };
  for (let i = 0; i < CASES; i++) {
    let path = pathWith(pathParams.length > 0 && rng.int(2) === 0 ? rng.pick(pathParams) : undefined);
    if (queryParams.length > 0 || rng.int(4) === 0) {
      const names = queryParams.length > 0 ? queryParams : ['__proto__', 'constructor', 'limit'];
      const name = rng.pick(names);
      const repeat = rng.int(4) === 0 ? `&${name}=${rng.pick(BAD_QUERY_VALUES)}` : '';
      path += `?${name}=${rng.pick(BAD_QUERY_VALUES)}${repeat}`;
    }
    out.push({ path, body: op.method === 'GET' ? undefined : bodyOf(), likelySuccess: op.method === 'GET' });
  }
  // Every number field at the edges of 32- and 64-bit integers, once each.
  for (const at of numberPaths(op.body))
    for (const n of HUGE_NUMBERS)
      out.push({
        path: pathWith(undefined),
        body: JSON.stringify(setAt(plausible(op.body), at, n)),
        likelySuccess: false,
      });
  // The plausible request itself, so the handler behind the validation is reached too.
  if (op.body !== undefined)
    out.push({ path: pathWith(undefined), body: JSON.stringify(plausible(op.body)), likelySuccess: true });
  return out;
}

/** What is wrong with a reply, or undefined: no 5xx, and every 4xx is a coded error of the registry. */
function problemOf(op: Operation, r: Reply): string | undefined {
  if (r.status >= 500) return `${r.status} ${JSON.stringify(r.body).slice(0, 200)}`;
  if (r.status < 400) return undefined;
  const body = r.body as Record<string, unknown> | null;
  const taxii = op.path.startsWith('/taxii2');
  const code = taxii ? body?.error_code : body?.code;
  if (typeof code !== 'string' || !Object.hasOwn(ERROR_REGISTRY, code))
    return `${r.status} without a registered code: ${JSON.stringify(r.body).slice(0, 200)}`;
  const status = taxii ? body?.http_status : body?.statusCode;
  if (String(status) !== String(r.status)) return `${r.status} whose body says ${String(status)}`;
  return undefined;
}

describeEachEngine('OpenAPI fuzz: every operation answers bad input with a coded 4xx', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('never answers 5xx, always answers a registered code, and changes nothing when it refuses', async () => {
    const started = Date.now();
    const org = await makeOrg(s);
    const spareOrg = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const op = await operatorAdmin(s);
    // Oversight bodies run witnesses and audit: the routes that only they reach are fuzzed past authorization.
    const oversight = await memberWithToken(s, (await makeOrg(s, { role: 'oversight' })).id, {
      roles: ['admin'],
    });
    const analyst = await memberWithPassword(s, org.id);
    const session = await signedIn(s, analyst.email);
    const spare = await makeMember(s, spareOrg.id);
    const invited = await makeMember(s, org.id, { invitedOnly: true });
    const adminCtx = await memberContext(s, admin.token);
    const spareToken = await createToken(adminCtx, { name: 'fuzz spare' });
    const shared = await shareObjects(adminCtx, {
      objects: [indicator()],
      source: 'rest',
      distribution: { kind: 'community' },
      defaultTlp: undefined,
    });
    const intelId = shared.successes[0]?.id ?? '';
    const group = await createGroup(adminCtx, { name: 'fuzz group', orgIds: [] });
    const event = await s.db.kysely.selectFrom('audit_events').select('id').executeTakeFirstOrThrow();
    const collections = await admin.api.get('/api/v1/taxii');
    const collectionId = (collections.body.collections as { id: string; title: string }[]).find(
      (c) => c.title === org.name,
    )?.id;

    /** Values that get past "not found", so the code behind is reached; never our own credentials. */
    const valid = (path: string, param: string): string | undefined => {
      if (param === 'collectionId') return collectionId;
      if (param === 'objectId') return intelId;
      if (param === 'token') return invitationSecret(invited.invitationUrl);
      if (path.startsWith('/api/v1/orgs/{id}/members')) return org.id;
      if (path.startsWith('/api/v1/orgs/')) return spareOrg.id;
      if (path.startsWith('/api/v1/members/')) return spare.member.id;
      if (path.startsWith('/api/v1/tokens/')) return spareToken.id;
      if (path.startsWith('/api/v1/intel/')) return intelId;
      if (path.startsWith('/api/v1/groups/')) return group.id;
      if (path.startsWith('/api/v1/audit/events/')) return event.id;
      return undefined;
    };

    const doc = (await new Client(s.url).get('/api/openapi.json')).body;
    const ops = operationsOf(doc);
    assert.ok(ops.length >= 50, `the document lists ${ops.length} operations`);
    assert.ok(ops.some((o) => o.path.startsWith('/taxii2/')));

    const credentials: readonly (readonly [string, Client])[] = [
      ['anonymous', new Client(s.url)],
      ['org admin token', admin.api],
      ['operator token', op.api],
      ['oversight token', oversight.api],
      ['session', session],
    ];
    const rng = new Prng(SEED);
    const problems: string[] = [];
    let requests = 0;
    let unverified = 0;
    let state = await databaseState(s);
    let pending: string[] = [];
    const checkState = async () => {
      if (pending.length === 0) return;
      const now = await databaseState(s);
      const changed = Object.keys(now).filter((t) => now[t] !== state[t]);
      if (changed.length > 0) {
        problems.push(
          `${changed.join(', ')} changed by one of these refused requests:\n  ${pending.join('\n  ')}`,
        );
        state = now;
      }
      pending = [];
    };

    for (const operation of ops) {
      for (const [who, client] of credentials) {
        // Signing the browser session out would leave the other operations without one.
        if (
          who === 'session' &&
          operation.method === 'DELETE' &&
          operation.path.startsWith('/api/v1/session')
        )
          continue;
        for (const req of requestsFor(rng, operation, valid)) {
          const headers: Record<string, string> = {
            'x-forwarded-for': `203.0.${rng.int(250)}.${rng.int(250) + 1}`,
          };
          if (operation.path.startsWith('/taxii2')) {
            headers.accept = TAXII;
            if (req.body !== undefined) headers['content-type'] = TAXII;
          } else if (req.body !== undefined) headers['content-type'] = 'application/json';
          // Likely successes may change state: refusals before them are checked first.
          if (req.likelySuccess) await checkState();
          const r = await client.call(operation.method, req.path, req.body, headers);
          requests += 1;
          const what = `${who} ${operation.method} ${req.path.slice(0, 160)} ${(req.body ?? '').slice(0, 160)}`;
          const problem = problemOf(operation, r);
          if (problem !== undefined) problems.push(`${what} → ${problem}`);
          const code = (r.body as { code?: string; error_code?: string } | null)?.code ?? r.body?.error_code;
          if (r.status < 400 || AUDITED_REFUSALS.has(code)) {
            // Allowed to change state; the refusals since the last check cannot be told apart from it.
            unverified += pending.length;
            pending = [];
            state = await databaseState(s);
          } else {
            pending.push(`${what} → ${r.status} ${code}`);
            if (pending.length >= 25) await checkState();
          }
        }
        await checkState();
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz [${engine}]: ${ops.length} operations, ${requests} requests in ${seconds} s, seed ${SEED}; ${unverified} refusals not checked for state (a success followed them)`,
    );
    if (problems.length > 0) console.log(problems.join('\n'));
    assert.equal(problems.length, 0, `seed ${SEED}: ${problems.length} problems (printed above)`);
  });
});
