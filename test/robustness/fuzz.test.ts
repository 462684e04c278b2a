// Property-based fuzz of every route the app serves (read from the app, so new routes are covered
// without editing this file), as the console admin (cookie + X-CSRF-Token) and as a token caller:
// random path params, query strings, JSON bodies (schema-shaped with wrong values at any field,
// or not shaped at all), content types and malformed credentials. Every answer must arrive, never
// be a 5xx, and be the Harness envelope when it is an error (SPEC §2). Afterwards the store is
// intact, the fixtures made before the fuzz are unchanged, and no token value or password the fuzz
// saw reached the logs, the audit trail or an error message (SPEC §4).
//
// Reproduce a failure with the seed (and path) it prints:
//   KEYSMITH_FUZZ_SEED=<seed> npx vitest run test/robustness/fuzz.test.ts
// KEYSMITH_FUZZ_RUNS raises the number of requests per route and caller (default 24);
// KEYSMITH_FUZZ_ONLY=<text> fuzzes only the routes whose `METHOD /path` contains it.
import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, expect } from 'vitest';
import { randomString } from '../../src/domain/ids.js';
import { SESSION_COOKIE } from '../../src/auth/authenticate.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { createSession } from '../../src/store/sessions.js';
import { createApiKey, createToken, saOwner, tokenBody, userOwner, whoAmI } from '../helpers/api-keys.js';
import { Client, describeEachEngine, it, type Harness } from '../helpers/harness.js';
import {
  answerProblem, routesWithSchemas, storeProblems, TOKEN_VALUE, withDeadline, type JsonSchema, type RouteInfo,
} from './support.js';

const BASE_SEED = Number(process.env.KEYSMITH_FUZZ_SEED ?? 0x5eed);
const RUNS = Math.max(1, Number(process.env.KEYSMITH_FUZZ_RUNS ?? 24));
/** The /gateway copies share the code of the /ng routes: fewer runs there. */
const GATEWAY_RUNS = Math.max(2, Math.round(RUNS / 3));
/** Fuzz requests come from their own address, so login throttling of it never locks out the checks after. */
const FUZZ_IP = '198.51.100.23';
const MIB = 1024 * 1024;
const DEADLINE_MS = 15_000;
const SLOW_MS = 5_000;
const ISSUED_PLACEHOLDER = '<<ISSUED_TOKEN>>';
// A well-formed request names one coherent scope, owner and identifier: its fields hold these
// placeholders, filled in from the request's `scope`, `owner` and `id` when it is sent.
const ORG_PLACEHOLDER = '<<ORG>>';
const PROJECT_PLACEHOLDER = '<<PROJECT>>';
const ID_PLACEHOLDER = '<<ID>>';
const PARENT_PLACEHOLDER = '<<PARENT>>';
const KEY_TYPE_PLACEHOLDER = '<<KEY_TYPE>>';
const KEY_PLACEHOLDER = '<<KEY>>';
/** The scopes a well-formed request acts in (account, the default organization, its default project). */
const SCOPES: Array<{ org: string | null; project: string | null }> = [
  { org: null, project: null }, { org: null, project: null }, { org: null, project: null },
  { org: 'default', project: null }, { org: 'default', project: 'default_project' },
];
const PASSWORD_MARKER = /FzPw[A-Za-z0-9]{10}!/g;

type CallerKind =
  | 'admin' | 'token' | 'pat' | 'slow-token' | 'anonymous' | 'admin-no-csrf' | 'admin-bad-csrf' | 'garbage-cookie'
  | 'api-key-3-parts' | 'api-key-5-parts' | 'api-key-non-ascii' | 'api-key-10kb' | 'api-key-empty' | 'api-key-unknown'
  | 'api-key-wrong-secret' | 'api-key-other-prefix' | 'bearer-nothing' | 'bearer-space' | 'bearer-10kb' | 'bearer-lowercase'
  | 'basic-auth' | 'api-key-and-cookie' | 'api-key-list';
const MALFORMED: CallerKind[] = [
  'anonymous', 'admin-no-csrf', 'admin-bad-csrf', 'garbage-cookie', 'api-key-3-parts', 'api-key-5-parts', 'api-key-non-ascii',
  'api-key-10kb', 'api-key-empty', 'api-key-unknown', 'api-key-wrong-secret', 'api-key-other-prefix', 'bearer-nothing',
  'bearer-space', 'bearer-10kb', 'bearer-lowercase', 'basic-auth', 'api-key-and-cookie', 'api-key-list',
];

interface FuzzRequest {
  /** The route fuzzed (`METHOD /path`), for the statistics. */
  route: string;
  /** Which of SCOPES the scope placeholders stand for, which owner (of ctx.owners) and identifier the others. */
  scope: number;
  owner: number;
  id: string;
  caller: CallerKind;
  method: string;
  path: string;
  query: string;
  contentType: string | null;
  body: string | null;
  extraHeaders: Record<string, string>;
}

interface Context {
  h: Harness;
  now: number;
  accountId: string;
  adminSession: Client;
  tokens: { caller: string; pat: string; slow: string };
  ids: string[];
  parents: string[];
  owners: Array<{ type: 'USER' | 'SERVICE_ACCOUNT'; parent: string; key: string }>;
  userIds: string[];
  emails: string[];
  saIds: string[];
  /** Token values any answer carried. */
  issued: Set<string>;
  /** Token values created by the fuzz itself (the ones it may send to validate/revoke). */
  fuzzIssued: string[];
  passwords: Set<string>;
  errorTexts: string[];
  slowest: Array<{ ms: number; what: string }>;
  /** Answers by route and status class, to see how deep the fuzz gets (KEYSMITH_FUZZ_VERBOSE). */
  statuses: Map<string, Record<string, number>>;
}

// ---------------------------------------------------------------------------------------------
// Values

const NASTY_STRINGS = [
  '', ' ', '.', '..', '...', '%00', '\u0000', '\u0000x', 'null', 'true', 'false', 'undefined', 'NaN', 'class', 'org', 'account',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '😀😀', 'ﬀ', 'İ', 'ß', 'a\nb', '\r\n', '\t',
  '<script>alert(1)</script>', "' or 1=1 --", '"; drop table tokens; --', '${jndi:x}', '{{7*7}}', '../../etc/passwd', '..%2f..%2f',
  '\\', 'a,b', ',', ',,', 'name,SIDEWAYS', '__proto__,ASC', 'constructor,DESC', 'name,', ',ASC', 'name,ASC,DESC', '%', '%ZZ', '%C0%AF',
  '\u202e', '\ufeff', '\ud800', 'a'.repeat(129), 'a'.repeat(513), 'all', 'aggregate', 'rotate', 'validate', 'revoke', 'currentUser',
];

/**
 * An odd string. In a body it may be most of a megabyte; in a URL at most a few KB (Node refuses
 * request heads over 16 KB before the app sees them).
 */
const stringArb = (where: 'body' | 'url' = 'body'): fc.Arbitrary<string> => {
  const max = where === 'body' ? 400_000 : 2_000;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => 'a'.repeat(where === 'body' ? n : n % 4_000)) },
    // Polynomial-backtracking probes for the patterns (e-mail, names), up to most of a megabyte.
    { weight: 1, arbitrary: fc.integer({ min: 100, max }).map((n) => 'a@' + 'a.'.repeat(n) + ' ') },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 2 * max }).map((n) => ' '.repeat(n) + '\u0001') },
  );
};

const NASTY_NUMBERS = ['0', '-1', '-0', '1.5', '1e308', '-1e308', '1e21', '9007199254740993', '9223372036854775807',
  '9223372036854775808', '-9223372036854775809', '18446744073709551616', '8640000000000001', '1e-7', '123456789012345678901234567890'];

/** A JSON text that is not what any field wants. */
function weirdJson(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('null', 'true', 'false', '[]', '{}', '[null]', '{"a":null}', '{"a":{"b":{"c":null}}}', '[[[]]]', '""') },
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
    { weight: 3, arbitrary: stringArb().map((s) => JSON.stringify(s)) },
    { weight: 1, arbitrary: fc.constantFrom(
      '{"__proto__":{"admin":true,"isAdmin":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
      '{"__proto__":null}', '[{"__proto__":{"x":1}}]', '{"toString":1,"valueOf":null,"hasOwnProperty":"x"}',
    ) },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 100_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 50_000 }).map((d) => '{"a":'.repeat(d) + 'null' + '}'.repeat(d)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  );
}

/** What the whole body is, when it is not the schema's shape at all. */
function weirdBody(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: weirdJson() },
    { weight: 2, arbitrary: fc.constantFrom('', ' ', '{', '{"a":', '{"a":1,}', "{'a':1}", 'not json', '\u0000', '\ufeff{}', 'undefined', 'NaN',
      '{"name":"a","name":1}', '[1,2', '"unterminated', '{"a":"\\ud800"}', '{"a":"\\u0000"}', 'a=1&b=2', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--') },
    // Just under and just over the 1 MiB limit.
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((n) => JSON.stringify({ filler: 'x'.repeat(MIB - 20 - n) })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((n) => JSON.stringify({ filler: 'x'.repeat(MIB + n) })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((n) => JSON.stringify('é'.repeat(Math.floor((MIB - 10 - n) / 2)))) },
  );
}

/** Percent-encodes any string (lone surrogates included, as U+FFFD). */
const encode = (s: string) =>
  encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

const alnum = (n: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), minLength: n, maxLength: n });
const passwordMarker = () => alnum(10).map((s) => `FzPw${s}!`);

/** A plausible value for a field, chosen by its name (so requests get past validation into the logic). */
function plausibleString(ctx: Context, key: string, schema: JsonSchema, hostile = true): fc.Arbitrary<string> {
  const k = key.toLowerCase();
  const ids = fc.constantFrom(...ctx.ids);
  if (k === 'accountidentifier') return hostile ? fc.constantFrom(ctx.accountId, ctx.accountId, ctx.accountId, 'other_account') : fc.constant(ctx.accountId);
  // A well-formed request names one coherent scope: placeholders, filled in when it is sent.
  if (k === 'orgidentifier') return hostile ? fc.constantFrom('default', 'fz_org', 'missing_org') : fc.constant(ORG_PLACEHOLDER);
  if (k === 'projectidentifier') return hostile ? fc.constantFrom('default_project', 'fz_proj', 'missing_project') : fc.constant(PROJECT_PLACEHOLDER);
  if (!hostile && k === 'parentidentifier') return fc.constant(PARENT_PLACEHOLDER);
  if (!hostile && k === 'apikeytype') return fc.constant(KEY_TYPE_PLACEHOLDER);
  if (!hostile && k === 'identifier') return fc.constant(ID_PLACEHOLDER);
  if (!hostile && k === 'apikeyidentifier') return fc.constant(KEY_PLACEHOLDER);
  if (!hostile && k === 'sortorders') return fc.constantFrom('name,ASC', 'lastModifiedAt,DESC', 'identifier', 'createdAt,desc');
  if (k === 'parentidentifier' || k === 'principalidentifier' || k === 'actors') return fc.constantFrom(...ctx.parents);
  if (k === 'uuid' || k === 'users') return fc.constantFrom(...ctx.userIds);
  if (k === 'serviceaccounts') return fc.constantFrom(...ctx.saIds);
  if (k.includes('password')) return passwordMarker();
  if (k === 'email') return fc.oneof(fc.constantFrom(...ctx.emails), alnum(6).map((s) => `fz-${s.toLowerCase()}@example.com`));
  if (k === 'name' || k === 'rolename') return fc.constantFrom('Fuzz name', 'n', 'A name/with-all_the.chars', 'x'.repeat(128));
  if (k === 'description') return fc.constantFrom('', 'a description', 'd'.repeat(1024));
  if (k === 'color') return fc.constantFrom('#0063F7', '#abc');
  if (k === 'modules') return fc.constantFrom('CD', 'CI', 'CF');
  if (k === 'permissions') return fc.constantFrom('core_serviceaccount_view', 'core_user_view', 'core_audit_view', 'core_no_such_permission');
  if (k === 'resourcetype' || k === 'resourcetypes') return fc.constantFrom('SERVICEACCOUNT', 'USER', 'API_KEY', 'TOKEN', 'NOPE');
  if (k === 'actions') return fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'LOGIN');
  if (k === 'sortorders') return fc.constantFrom('name,ASC', 'lastModifiedAt,DESC', 'identifier', 'createdAt,desc', 'name,SIDEWAYS', '__proto__,ASC', ',');
  if (k === 'searchterm') return fc.constantFrom('fz', 'FUZZ', '.*', '%', '_', '(', '[', '\\', 'tgt');
  if (k === 'apikeyidentifier') return fc.constantFrom('tgt_key', 'adm_key', 'fz_a', 'fz_key');
  if (k.endsWith('identifier') || k === 'identifiers' || k === 'identifier') return ids;
  if (k === 'body') return fc.constantFrom(ISSUED_PLACEHOLDER, `pat.${ctx.accountId}.${'0'.repeat(24)}.${'a'.repeat(20)}`, 'pat.x.y', 'sat...', '');
  if (schema.pattern) return ids;
  const longest = typeof schema.maxLength === 'number' && schema.maxLength <= 10_000 ? ['x'.repeat(schema.maxLength)] : [];
  return fc.constantFrom('value', 'fz', 'x', ...longest);
}

function plausibleNumber(ctx: Context, key: string, schema: JsonSchema): fc.Arbitrary<number> {
  const k = key.toLowerCase();
  const day = 86_400_000;
  const max = typeof schema.maximum === 'number' ? [schema.maximum] : [];
  if (k === 'validfrom') return fc.constantFrom(ctx.now, ctx.now - 1000, ctx.now + 60_000, 0, ...max);
  if (k === 'validto' || k === 'endtime') return fc.constantFrom(ctx.now + day, ctx.now + 365 * day, ctx.now - 1000, ...max);
  if (k === 'rotatetimestamp' || k === 'starttime') return fc.constantFrom(ctx.now + 60_000, ctx.now - 1000, 0, ...max);
  if (k === 'defaulttimetoexpiretoken' || k === 'maxtokenlifetimems') return fc.constantFrom(day, 1, 30 * day, ...max);
  if (k === 'ratelimitqps' || k === 'apikeyqps') return fc.constantFrom(1_000, 0.5, 1_000_000);
  if (k === 'pageindex') return fc.constantFrom(0, 1, 2);
  if (k === 'pagesize') return fc.constantFrom(1, 10, 100, 101);
  const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
  // The schema's own bounds are plausible too: the extremes a well-formed request may carry.
  const bounds = [schema.minimum, schema.maximum].filter((b): b is number => typeof b === 'number');
  return fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max: min + 10 }) }, { weight: bounds.length ? 1 : 0, arbitrary: fc.constantFrom(...bounds, min) });
}

/**
 * A JSON text for a schema: hostile, mostly valid with a wrong value at any field some of the
 * time; otherwise valid throughout (as far as names tell what a field wants).
 */
function jsonFor(ctx: Context, schema: JsonSchema | undefined, key: string, depth = 0, hostile = true): fc.Arbitrary<string> {
  if (!hostile) return validJsonFor(ctx, schema, key, depth, false);
  return fc.oneof(
    { weight: depth === 0 ? 0 : 8, arbitrary: validJsonFor(ctx, schema, key, depth) },
    { weight: depth === 0 ? 1 : 0, arbitrary: validJsonFor(ctx, schema, key, depth) },
    { weight: 1, arbitrary: weirdJson() },
  );
}

function validJsonFor(ctx: Context, schema: JsonSchema | undefined, key: string, depth: number, hostile = true): fc.Arbitrary<string> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof<fc.Arbitrary<string>[]>(...(alternatives as JsonSchema[]).map((s: JsonSchema): fc.Arbitrary<string> => validJsonFor(ctx, s, key, depth, hostile)));
  if ('const' in schema) return fc.constant(JSON.stringify(schema.const));
  if (!hostile && key === 'apiKeyType') return fc.constant(JSON.stringify(KEY_TYPE_PLACEHOLDER));
  if (schema.enum) return fc.constantFrom(...schema.enum.map((v: unknown) => JSON.stringify(v)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) {
    return fc.oneof(...types.map((t) => ({ weight: t === 'null' ? 1 : 4, arbitrary: validJsonFor(ctx, { ...schema, type: t }, key, depth, hostile) })));
  }
  switch (types[0]) {
    case 'null': return fc.constant('null');
    case 'boolean': return fc.boolean().map(String);
    case 'string': return plausibleString(ctx, key, schema, hostile).map((s) => JSON.stringify(s));
    case 'integer':
    case 'number': return plausibleNumber(ctx, key, schema).map(String);
    case 'array':
      return fc.array(jsonFor(ctx, schema.items, key, depth + 1, hostile), { maxLength: 3 }).map((items) => `[${items.join(',')}]`);
    case 'object': {
      const props = Object.entries<JsonSchema>(schema.properties ?? {});
      const required = new Set<string>(schema.required ?? []);
      const fields = props.map(([name, s]) => fc.tuple(
        fc.constant(name),
        required.has(name) ? fc.constant(true) : fc.boolean(),
        jsonFor(ctx, s, name, depth + 1, hostile),
      ));
      const extra = schema.additionalProperties && typeof schema.additionalProperties === 'object'
        ? fc.array(fc.tuple(hostile ? fc.oneof(fc.constantFrom('team', 'env', '__proto__', 'constructor', ''), stringArb()) : fc.constantFrom('team', 'env', 'owner'),
          jsonFor(ctx, schema.additionalProperties, 'tag', depth + 1, hostile)), { maxLength: 3 })
        : hostile ? fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'unknownField', 'status', 'data'), weirdJson()), { maxLength: 1 })
          : fc.constant([] as Array<[string, string]>);
      return fc.tuple(fc.tuple(...fields), extra).map(([fs, ex]) => {
        const entries = [
          ...fs.filter(([, present]) => present).map(([name, , v]) => [name, v] as const),
          ...ex.map(([name, v]) => [name, v] as const),
        ];
        return `{${entries.map(([name, v]) => `${JSON.stringify(name)}:${v}`).join(',')}}`;
      });
    }
    default: return fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v));
  }
}

/** One query parameter's raw `name=value` pairs: absent, plausible, odd, or repeated. */
function queryParam(ctx: Context, name: string, schema: JsonSchema | undefined, required: boolean, hostile = true): fc.Arbitrary<string[]> {
  const plausible = (s: JsonSchema | undefined): fc.Arbitrary<string> => {
    if (!s) return plausibleString(ctx, name, {}, hostile);
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) return fc.oneof(...(alternatives as JsonSchema[]).map(plausible));
    if ('const' in s) return fc.constant(String(s.const));
    if (!hostile && name === 'apiKeyType') return fc.constant(KEY_TYPE_PLACEHOLDER);
    if (s.enum) return fc.constantFrom(...s.enum.map(String));
    const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
    if (type === 'array') return plausible(s.items);
    if (type === 'integer' || type === 'number') return plausibleNumber(ctx, name, s).map(String);
    if (type === 'boolean') return fc.constantFrom('true', 'false');
    return plausibleString(ctx, name, s, hostile);
  };
  const odd = fc.oneof(stringArb('url'), fc.constantFrom(...NASTY_NUMBERS), fc.constantFrom('[]', '{}', '[1]', 'a[]=1', 'TRUE', 'yes', '1,2'));
  const encoded = (v: fc.Arbitrary<string>) => fc.tuple(v, fc.nat(9)).map(([value, r]) =>
    // Mostly properly encoded; sometimes raw, to reach the query parser with odd bytes.
    r === 0 && /^[\x21-\x7e]*$/.test(value) ? `${name}=${value}` : `${encode(name)}=${encode(value)}`);
  if (!hostile) {
    return fc.oneof({ weight: required ? 0 : 1, arbitrary: fc.constant<string[]>([]) }, { weight: 3, arbitrary: plausible(schema).map((v) => [`${encode(name)}=${encode(v)}`]) });
  }
  return fc.oneof(
    { weight: required ? 1 : 3, arbitrary: fc.constant<string[]>([]) },
    { weight: 6, arbitrary: encoded(plausible(schema)).map((p) => [p]) },
    { weight: 2, arbitrary: encoded(odd).map((p) => [p]) },
    { weight: 1, arbitrary: fc.array(encoded(fc.oneof(plausible(schema), odd)), { minLength: 2, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom<string[]>([`${name}`], [`${name}=`], [`${name}[]=1`], [`${name}[a]=1`], [`${name}=1&${name}=2`]) },
  );
}

function pathParam(ctx: Context, name: string, hostile = true): fc.Arbitrary<string> {
  const plausible = name === 'uuid' ? fc.constantFrom(...ctx.userIds) : fc.constantFrom(...ctx.ids);
  if (!hostile) return name === 'identifier' ? fc.constant(encode(ID_PLACEHOLDER)) : plausible.map(encode);
  return fc.oneof(
    { weight: 4, arbitrary: plausible.map(encode) },
    { weight: 3, arbitrary: stringArb('url').map(encode) },
    { weight: 1, arbitrary: fc.constantFrom('..', '.', '%00', '%', '%ZZ', '%2e%2e', '%2F', 'a%2Fb', '%C0%AF', '%E2%80%AE', '%FF', '~', '*', 'a;b', 'a?b=c', 'a#b') },
  );
}

const CONTENT_TYPES = [
  'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'application/json;;', 'application/xml',
  'application/vnd.api+json', 'application/octet-stream', '', ';', 'json', 'application/json, text/plain', 'text/html', '*/*',
];

/** Half the requests are well-formed (to reach the logic and the store), half hostile. */
function requestArb(ctx: Context, route: RouteInfo, main: 'admin' | 'token'): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(wellFormedRequestArb(ctx, route, main), hostileRequestArb(ctx, route, main));
}

function wellFormedRequestArb(ctx: Context, route: RouteInfo, main: 'admin' | 'token'): fc.Arbitrary<FuzzRequest> {
  const op = route.operation;
  const pathArb = fc.tuple(...[...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => pathParam(ctx, m[1], false))).map((values) => {
    let i = 0;
    return route.path.replace(/:([A-Za-z0-9_]+)/g, () => values[i++]);
  });
  const queryArb = fc.tuple(...(op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => queryParam(ctx, p.name, p.schema, !!p.required, false)))
    .map((pairs) => (pairs.flat().length ? '?' + pairs.flat().join('&') : ''));
  const bodySchema = op?.requestBody?.content?.['application/json']?.schema;
  const bodyArb: fc.Arbitrary<string | null> = bodySchema ? jsonFor(ctx, bodySchema, bodySchema.type === 'string' ? 'body' : '', 0, false) : fc.constant(null);
  return fc.record({
    route: fc.constant(`${route.method} ${route.path}`), caller: fc.constant<CallerKind>(main), method: fc.constant(route.method),
    path: pathArb, query: queryArb, body: bodyArb, extraHeaders: fc.constant({}), scope: fc.nat(SCOPES.length - 1),
    id: fc.oneof(fc.constantFrom(...ctx.ids), fc.constantFrom('tgt_tok', 'adm_tok', 'tgt_key', 'adm_key')), owner: fc.nat(ctx.owners.length - 1),
    contentType: fc.constant(bodySchema ? (bodySchema.type === 'string' ? 'text/plain' : 'application/json') : null),
  });
}

function hostileRequestArb(ctx: Context, route: RouteInfo, main: 'admin' | 'token'): fc.Arbitrary<FuzzRequest> {
  const op = route.operation;
  const params = (op?.parameters ?? []);
  const pathNames = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
  const pathArb = fc.tuple(...pathNames.map((n) => pathParam(ctx, n))).map((values) => {
    let i = 0;
    return route.path.replace(/:([A-Za-z0-9_]+)/g, () => values[i++]);
  });
  const queryArb = fc.tuple(
    fc.tuple(...params.filter((p) => p.in === 'query').map((p) => queryParam(ctx, p.name, p.schema, !!p.required))),
    fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'x', '', 'a[b]', '%00', 'accountIdentifier[]'), stringArb('url')), { maxLength: 2 })
      .map((extra) => extra.map(([k, v]) => `${encode(k)}=${encode(v)}`)),
    fc.nat(20),
  ).map(([known, extra, shuffle]) => {
    const pairs = [...known.flat(), ...extra];
    if (shuffle === 0) pairs.reverse();
    return pairs.length ? '?' + pairs.join('&') + (shuffle === 1 ? '&' : '') : shuffle === 2 ? '?' : '';
  });
  const bodySchema = op?.requestBody?.content?.['application/json']?.schema;
  const takesBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method);
  const bodyArb: fc.Arbitrary<string | null> = bodySchema
    ? fc.oneof({ weight: 7, arbitrary: jsonFor(ctx, bodySchema, bodySchema.type === 'string' ? 'body' : '') }, { weight: 2, arbitrary: weirdBody() }, { weight: 1, arbitrary: fc.constant(null) })
    : takesBody ? fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: weirdBody() })
      : fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: weirdJson() });
  const textBody = bodySchema?.type === 'string';
  const contentTypeArb = fc.oneof(
    { weight: textBody ? 2 : 8, arbitrary: fc.constant('application/json') },
    { weight: textBody ? 6 : 0, arbitrary: fc.constant('text/plain') },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  );
  const callerArb: fc.Arbitrary<CallerKind> = fc.oneof(
    { weight: 7, arbitrary: fc.constant(main) },
    { weight: 1, arbitrary: fc.constantFrom<CallerKind>(main === 'admin' ? 'pat' : 'slow-token', 'token', 'admin') },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED) },
  );
  const headersArb = fc.oneof(
    { weight: 8, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>(
      { 'x-correlation-id': 'x'.repeat(129) }, { 'x-correlation-id': '' }, { 'x-correlation-id': 'ü' }, { 'x-correlation-id': '__proto__' },
      { accept: 'text/html' }, { accept: 'application/xml' }, { 'accept-encoding': 'gzip, br' }, { 'x-forwarded-for': '1.2.3.4, ::1, junk' },
      { 'content-encoding': 'gzip' }, { 'transfer-encoding': 'chunked' }, { 'x-http-method-override': 'DELETE' },
    ) },
  );
  // Now and then the wrong method on a known path: a JSON 404 (or 405), never a 500.
  const methodArb = fc.oneof({ weight: 19, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('PATCH', 'OPTIONS', 'HEAD', 'TRACE') });
  return fc.record({ route: fc.constant(`${route.method} ${route.path}`), scope: fc.constant(0), id: fc.constant('fz_a'), owner: fc.constant(0), caller: callerArb, method: methodArb, path: pathArb, query: queryArb, contentType: contentTypeArb, body: bodyArb, extraHeaders: headersArb })
    .map((r) => ({ ...r, contentType: r.body === null ? (r.contentType === 'application/json' ? null : r.contentType) : r.contentType }));
}

// ---------------------------------------------------------------------------------------------
// Sending

function callerHeaders(ctx: Context, kind: CallerKind): Record<string, string> {
  const admin = ctx.adminSession.headers;
  const { caller, pat, slow } = ctx.tokens;
  const flip = (t: string) => t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
  switch (kind) {
    case 'admin': return { ...admin };
    case 'token': return { 'x-api-key': caller };
    case 'pat': return { 'x-api-key': pat };
    case 'slow-token': return { 'x-api-key': slow };
    case 'anonymous': return {};
    case 'admin-no-csrf': return { cookie: admin.cookie };
    case 'admin-bad-csrf': return { cookie: admin.cookie, 'x-csrf-token': 'not-the-token' };
    case 'garbage-cookie': return { cookie: 'keysmith_session=garbage; other=1', 'x-csrf-token': 'x' };
    case 'api-key-3-parts': return { 'x-api-key': `sat.${ctx.accountId}.abc` };
    case 'api-key-5-parts': return { 'x-api-key': `${caller}.extra` };
    case 'api-key-non-ascii': return { 'x-api-key': 'sät.ü.ñ.é' };
    case 'api-key-10kb': return { 'x-api-key': 'sat.' + 'a'.repeat(10_240) };
    case 'api-key-empty': return { 'x-api-key': '' };
    case 'api-key-unknown': return { 'x-api-key': `sat.${ctx.accountId}.${'0'.repeat(24)}.${'a'.repeat(20)}` };
    case 'api-key-wrong-secret': return { 'x-api-key': flip(caller) };
    case 'api-key-other-prefix': return { 'x-api-key': caller.replace(/^sat\./, 'pat.') };
    case 'bearer-nothing': return { authorization: 'Bearer' };
    case 'bearer-space': return { authorization: 'Bearer   ' };
    case 'bearer-10kb': return { authorization: 'Bearer ' + 'b'.repeat(10_240) };
    case 'bearer-lowercase': return { authorization: `bearer ${caller}` };
    case 'basic-auth': return { authorization: 'Basic YWRtaW46YWRtaW4=' };
    case 'api-key-and-cookie': return { ...admin, 'x-api-key': 'sat.junk' };
    case 'api-key-list': return { 'x-api-key': `${caller}, ${pat}` };
  }
}

/** A console session for a user, opened in the store as a login would open it (without the throttle). */
async function sessionOf(h: Harness, userId: string): Promise<Client> {
  const session = await createSession(h.store.db, userId, h.services.config.sessionTtlMs);
  return new Client(h.app, { cookie: `${SESSION_COOKIE}=${session.cookieValue}`, 'x-csrf-token': session.csrfToken });
}

interface Sent { res: { status: number; headers: Record<string, unknown>; text: string }; url: string; ms: number }

const placeholderParams = new Map<string, RegExp>();
/** `name=<placeholder>` in a query string, the name captured, then what ends it. */
function placeholderParam(placeholder: string): RegExp {
  let re = placeholderParams.get(placeholder);
  if (!re) placeholderParams.set(placeholder, re = new RegExp(`([A-Za-z]+)=${encode(placeholder)}(&|$)`, 'g'));
  return re;
}

async function send(ctx: Context, r: FuzzRequest): Promise<Sent> {
  const scope = SCOPES[r.scope];
  const owner = ctx.owners[r.owner];
  const values: Array<[string, string | null]> = [[ORG_PLACEHOLDER, scope.org], [PROJECT_PLACEHOLDER, scope.project],
    [ID_PLACEHOLDER, r.id], [PARENT_PLACEHOLDER, owner.parent], [KEY_TYPE_PLACEHOLDER, owner.type], [KEY_PLACEHOLDER, owner.key]];
  let query = r.query;
  let path = r.path;
  for (const [placeholder, value] of values) {
    // Only where it occurs: the pattern costs the square of a long run of letters (random queries).
    if (query.includes(encode(placeholder))) {
      query = query.replace(placeholderParam(placeholder), (_, k, end) => (value === null ? '' : `${k}=${encode(value)}${end}`));
    }
    path = path.replaceAll(encode(placeholder), encode(value ?? ''));
  }
  const url = path + query.replace(/&$/, '').replace(/^\?$/, '');
  const headers: Record<string, string> = { ...callerHeaders(ctx, r.caller), ...r.extraHeaders };
  let payload = r.body;
  if (payload !== null) {
    for (const [placeholder, value] of values) payload = payload.replaceAll(JSON.stringify(placeholder), JSON.stringify(value));
  }
  if (payload?.includes(ISSUED_PLACEHOLDER)) {
    payload = payload.replaceAll(ISSUED_PLACEHOLDER, ctx.fuzzIssued.at(-1) ?? 'pat.none.none.none');
  }
  if (payload !== null) for (const m of payload.matchAll(PASSWORD_MARKER)) ctx.passwords.add(m[0]);
  if (r.contentType !== null) headers['content-type'] = r.contentType;
  const started = Date.now();
  const res = await withDeadline(ctx.h.app.inject({
    method: r.method as any, url, headers, remoteAddress: FUZZ_IP, ...(payload === null ? {} : { payload }),
  }), DEADLINE_MS, `${r.method} ${url.slice(0, 200)}`);
  return { res: { status: res.statusCode, headers: res.headers, text: res.body }, url, ms: Date.now() - started };
}

function describeRequest(r: FuzzRequest): string {
  const cut = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  return [
    `${r.method} ${cut(r.path + r.query)}`, `scope: ${JSON.stringify(SCOPES[r.scope])}, owner: ${r.owner}, id: ${r.id}`, `caller: ${r.caller}`, `content-type: ${r.contentType}`,
    `extra headers: ${cut(JSON.stringify(r.extraHeaders))}`, `body: ${r.body === null ? '(none)' : cut(JSON.stringify(r.body))}`,
  ].join('\n    ');
}

async function fuzzOne(ctx: Context, r: FuzzRequest): Promise<void> {
  const { res, url, ms } = await send(ctx, r);
  const problem = answerProblem(r.method, url, res);
  if (problem) throw new Error(`${problem}\n    answer: ${res.text.slice(0, 300)}`);
  if (ms > SLOW_MS) throw new Error(`answered after ${ms} ms`);
  ctx.slowest.push({ ms, what: `${res.status} ${r.method} ${url.slice(0, 80)} body ${r.body?.length ?? 0} query ${r.query.length}` });
  if (ctx.slowest.length > 50) ctx.slowest.sort((a, b) => b.ms - a.ms).splice(10);
  const issuing = res.status === 200 && r.method === 'POST' && /\/ng\/api\/token(\/rotate\/[^/?]*)?$/.test(r.path);
  for (const m of res.text.matchAll(TOKEN_VALUE)) {
    // A value is shown once, by the call that makes it: nothing else ever answers with one.
    if (!issuing) throw new Error(`the answer carries a token value\n    answer: ${res.text.slice(0, 300).replace(TOKEN_VALUE, '<token>')}`);
    if (!ctx.issued.has(m[0])) {
      ctx.issued.add(m[0]);
      ctx.h.issuedTokens.add(m[0]);
      if (r.caller === 'admin' || r.caller === 'token' || r.caller === 'pat') ctx.fuzzIssued.push(m[0]);
    }
  }
  if (res.status >= 400) ctx.errorTexts.push(res.text.slice(0, 10_000));
  const tally = ctx.statuses.get(r.route) ?? {};
  tally[res.status] = (tally[res.status] ?? 0) + 1;
  ctx.statuses.set(r.route, tally);
  // The fuzz may log its own session out: open a new one so later requests still reach the routes.
  // (Not by logging in: the fuzz's wrong current passwords may have locked the admin's email.)
  if (r.path.endsWith('/api/auth/logout') && res.status === 200 && r.caller.startsWith('admin')) {
    ctx.adminSession = await sessionOf(ctx.h, ctx.h.admin.id);
  }
}

/** Paths (`[]` meaning "an item of the array") of the string fields of a schema that have a pattern. */
function patternFieldPaths(schema: JsonSchema | undefined, path: string[] = [], depth = 0): string[][] {
  if (!schema || depth > 8) return [];
  const out: string[][] = [];
  if (typeof schema.pattern === 'string') out.push(path);
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) out.push(...patternFieldPaths(alt, path, depth + 1));
  for (const [name, s] of Object.entries<JsonSchema>(schema.properties ?? {})) out.push(...patternFieldPaths(s, [...path, name], depth + 1));
  if (schema.items) out.push(...patternFieldPaths(schema.items, [...path, '[]'], depth + 1));
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.join('.')) && !!seen.add(p.join('.')));
}

/** A JSON body holding `value` at `path`. */
function bodyWith(path: string[], value: string): string {
  let json = JSON.stringify(value);
  for (const step of [...path].reverse()) json = step === '[]' ? `[${json}]` : `{${JSON.stringify(step)}:${json}}`;
  return json;
}

function seedOf(route: { method: string; path: string }, main: string): number {
  let hash = BASE_SEED | 0;
  for (const ch of `${route.method} ${route.path} ${main}`) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

// ---------------------------------------------------------------------------------------------

describeEachEngine('robustness: fuzz of every route', (h) => {
  let ctx: Context;
  let routes: RouteInfo[];
  const fixture: { tokens: string[]; keyIds: string[]; tokenIds: string[]; snapshot: string } = { tokens: [], keyIds: [], tokenIds: [], snapshot: '' };

  const snapshot = async () => {
    const db = h().store.db;
    const keys = await db.selectFrom('api_keys').selectAll().where('id', 'in', fixture.keyIds).orderBy('id').execute();
    const tokens = await db.selectFrom('tokens').selectAll().where('id', 'in', fixture.tokenIds).orderBy('id').execute();
    const users = await db.selectFrom('users').selectAll().where('id', '=', h().admin.id).execute();
    return JSON.stringify({ keys, tokens: tokens.map(({ last_used_at: _, ...t }) => t), users });
  };

  beforeAll(async () => {
    const H = h();
    const admin = H.admin.client;
    const rnd = () => randomString(6);
    const fast = { rateLimitQps: 1_000_000 };
    // Fixtures the fuzz never names: they must come out of it unchanged and working.
    const fixtureUser = await H.createUser({ password: `FzPw${randomString(10)}!` });
    // Lifting its own key's limit needs core_account_edit.
    await H.grantRole({ type: 'USER', identifier: fixtureUser.id }, '_account_admin');
    await createApiKey(H, fixtureUser.client, userOwner(fixtureUser.id), 'fixture_key', fast);
    const fixturePat = await createToken(H, fixtureUser.client, userOwner(fixtureUser.id), 'fixture_key', 'fixture_tok');
    const fixtureSa = await H.seedServiceAccount({ identifier: `fixture_sa_${rnd()}` });
    await createApiKey(H, admin, saOwner(fixtureSa), 'fixture_key', fast);
    const fixtureSat = await createToken(H, admin, saOwner(fixtureSa), 'fixture_key', 'fixture_tok');
    // The callers: a service account and a user, both account admins, with keys that are never throttled
    // (and one that is, for the per-key 429).
    const callerSa = await H.seedServiceAccount({ identifier: `caller_sa_${rnd()}` });
    await H.grantRole({ type: 'SERVICE_ACCOUNT', identifier: callerSa.identifier }, '_account_admin');
    await createApiKey(H, admin, saOwner(callerSa), 'caller_key', fast);
    const callerSat = await createToken(H, admin, saOwner(callerSa), 'caller_key', 'caller_tok');
    await createApiKey(H, admin, saOwner(callerSa), 'slow_key', { rateLimitQps: 0.01 });
    const slowSat = await createToken(H, admin, saOwner(callerSa), 'slow_key', 'slow_tok');
    const callerUser = await H.createUser();
    await H.grantRole({ type: 'USER', identifier: callerUser.id }, '_account_admin');
    await createApiKey(H, callerUser.client, userOwner(callerUser.id), 'caller_key', fast);
    const callerPat = await createToken(H, callerUser.client, userOwner(callerUser.id), 'caller_key', 'caller_tok');
    // Targets the fuzz does name: it may change or delete them.
    const tgtUser = await H.createUser();
    const tgtSa = await H.seedServiceAccount({ identifier: 'tgt_sa' });
    await createApiKey(H, admin, saOwner(tgtSa), 'tgt_key', fast);
    await createToken(H, admin, saOwner(tgtSa), 'tgt_key', 'tgt_tok');
    await createApiKey(H, admin, userOwner(H.admin.id), 'adm_key', fast);
    const admTok = await createToken(H, admin, userOwner(H.admin.id), 'adm_key', 'adm_tok');

    const db = H.store.db;
    const keyRows = await db.selectFrom('api_keys').select('id').where('identifier', '=', 'fixture_key').execute();
    fixture.keyIds = keyRows.map((r) => r.id);
    fixture.tokenIds = (await db.selectFrom('tokens').select('id').where('api_key_id', 'in', fixture.keyIds).execute()).map((r) => r.id);
    fixture.tokens = [fixturePat, fixtureSat];
    fixture.snapshot = await snapshot();
    expect(fixture.keyIds).toHaveLength(2);
    expect(fixture.tokenIds).toHaveLength(2);

    ctx = {
      h: H, now: Date.now(), accountId: H.accountId,
      adminSession: await H.login(H.admin.email, H.admin.password),
      tokens: { caller: callerSat, pat: callerPat, slow: slowSat },
      ids: ['fz_a', 'fz_b', 'Fz$1', '_x', 'tgt_sa', 'tgt_key', 'tgt_tok', 'adm_key', 'adm_tok', 'default', 'default_project', 'fz_org', 'fz_proj',
        'fz_group', 'fz_role', 'fz_rg', 'a'.repeat(128), '_account_admin', '_account_viewer', '_all_resources_including_child_scopes', '_all_account_level_resources'],
      parents: [H.admin.id, tgtUser.id, 'tgt_sa', 'fz_a'],
      owners: [{ type: 'USER', parent: H.admin.id, key: 'adm_key' }, { type: 'SERVICE_ACCOUNT', parent: 'tgt_sa', key: 'tgt_key' },
        { type: 'SERVICE_ACCOUNT', parent: 'tgt_sa', key: 'fz_key' }, { type: 'USER', parent: tgtUser.id, key: 'fz_key' }],
      userIds: [tgtUser.id, 'no-such-user', randomString(22)],
      emails: [tgtUser.email, 'fuzz@example.com', 'FUZZ@Example.COM', tgtSa.email, H.admin.email.toUpperCase() + 'x'],
      saIds: ['tgt_sa', 'fz_a', 'nobody'],
      issued: new Set([...fixture.tokens, callerSat, slowSat, callerPat, admTok, ...H.issuedTokens]),
      fuzzIssued: [admTok],
      passwords: new Set([H.admin.password, fixtureUser.password, callerUser.password, tgtUser.password]),
      errorTexts: [],
      slowest: [],
      statuses: new Map(),
    };
    routes = await routesWithSchemas(H.app);
  });

  /**
   * Puts back what earlier routes' fuzzing may have deleted or changed (the targets, the account
   * settings), so every route meets things to act on. Failures here are not the point: ignored.
   */
  async function replenish() {
    const H = h();
    const admin = H.admin.client;
    const q = { query: { accountIdentifier: H.accountId } };
    await admin.put('/ng/api/account-settings', { apiKeyQps: null, maxApiKeysPerOwner: null, maxTokensPerApiKey: null, maxTokenLifetimeMs: null }, q);
    const sa = await H.store.db.selectFrom('service_accounts').select('identifier').where('account_id', '=', H.accountId)
      .where('org_identifier', '=', '').where('project_identifier', '=', '').where('identifier', '=', 'tgt_sa').executeTakeFirst();
    if (!sa) await H.seedServiceAccount({ identifier: 'tgt_sa' });
    for (const [owner, key, token] of [[saOwner({ identifier: 'tgt_sa', scope: { orgIdentifier: null, projectIdentifier: null } }), 'tgt_key', 'tgt_tok'],
      [userOwner(H.admin.id), 'adm_key', 'adm_tok']] as const) {
      const res = await admin.post('/ng/api/token', tokenBody(H, owner, key, token), q);
      if (res.status === 200) {
        ctx.issued.add(res.body.data);
        ctx.fuzzIssued.push(res.body.data);
      }
    }
  }

  it('enumerates the routes from the app itself', () => {
    expect(routes.length).toBeGreaterThan(100);
    const keys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const path of ['/ng/api/apikey', '/gateway/ng/api/token', '/authz/api/roles', '/resourcegroup/api/v2/resourcegroup', '/api/auth/login']) {
      expect([...keys].some((k) => k.endsWith(` ${path}`)), path).toBe(true);
    }
    // Every documented operation is among them, with its schema.
    expect(routes.filter((r) => r.operation).length).toBeGreaterThan(60);
  });

  it('answers every request to every route with a 4xx envelope or a success, in time', async () => {
    const failures: string[] = [];
    const started = Date.now();
    let requests = 0;
    const only = process.env.KEYSMITH_FUZZ_ONLY;
    for (const route of routes.filter((r) => !only || `${r.method} ${r.path}`.includes(only))) {
      await replenish();
      for (const main of ['admin', 'token'] as const) {
        const seed = seedOf(route, main);
        const numRuns = route.path.startsWith('/gateway/') ? GATEWAY_RUNS : RUNS;
        const details = await fc.check(
          fc.asyncProperty(requestArb(ctx, route, main), async (r) => { requests++; await fuzzOne(ctx, r); }),
          { numRuns, seed, interruptAfterTimeLimit: 30_000, markInterruptAsFailure: false },
        );
        if (details.failed) {
          failures.push([
            `${route.method} ${route.path} as ${main}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
            `    request: ${details.counterexample ? describeRequest(details.counterexample[0]) : '?'}`,
            `    reproduce: KEYSMITH_FUZZ_SEED=${BASE_SEED} (route seed ${details.seed}, path "${details.counterexamplePath}")`,
          ].join('\n'));
        }
      }
    }
    console.info(`[fuzz ${h().engine}] ${routes.length} routes, ${requests} requests in ${Date.now() - started} ms (KEYSMITH_FUZZ_SEED=${BASE_SEED}, runs ${RUNS})`);
    if (process.env.KEYSMITH_FUZZ_VERBOSE) {
      console.info([...ctx.statuses].filter(([k]) => !k.includes('/gateway/')).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n'));
    }
    if (process.env.KEYSMITH_FUZZ_VERBOSE) console.info(ctx.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10).map((s) => `${s.ms} ms ${s.what}`).join('\n'));
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 600_000);

  it('answers a near-megabyte value for every pattern-checked body field at once (no backtracking blow-up)', async () => {
    // The worst input found for the e-mail pattern, the size of a whole body: checked on every
    // field that has a pattern, in every documented body, so a new field or pattern is covered too.
    const evil = 'a@' + 'a.'.repeat(450_000) + ' ';
    const slow: string[] = [];
    let checked = 0;
    for (const route of routes.filter((r) => !r.path.startsWith('/gateway/'))) {
      const schema = route.operation?.requestBody?.content?.['application/json']?.schema;
      for (const path of patternFieldPaths(schema)) {
        const url = route.path.replace(/:([A-Za-z0-9_]+)/g, 'fz_a') + `?accountIdentifier=${ctx.accountId}`;
        const started = Date.now();
        const res = await withDeadline(h().app.inject({
          method: route.method as any, url, headers: { ...ctx.adminSession.headers, 'content-type': 'application/json' },
          payload: bodyWith(path, evil), remoteAddress: FUZZ_IP,
        }), 60_000, `${route.method} ${route.path} ${path.join('.')}`);
        const ms = Date.now() - started;
        checked++;
        const problem = answerProblem(route.method, url, { status: res.statusCode, headers: res.headers, text: res.body });
        if (problem || res.statusCode !== 400 || ms > 2_000) slow.push(`${route.method} ${route.path} ${path.join('.')}: ${res.statusCode} in ${ms} ms ${problem ?? ''}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(slow).toEqual([]);
  }, 300_000);

  it('leaves the store intact: integrity, the admin, and the fixtures made before the fuzz', async () => {
    expect(await storeProblems(h())).toEqual([]);
    if (h().engine === 'sqlite') {
      const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(h().store.db);
      expect(rows).toEqual([{ integrity_check: 'ok' }]);
    }
    // The admin's password is intact and it still works. Logging in may meet the login throttle: a
    // wrong current password on PUT /api/auth/password counts as a failed login of its email.
    const stored = await h().store.db.selectFrom('users').select('password_hash').where('id', '=', h().admin.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(h().admin.password, stored.password_hash)).toBe(true);
    const login = await h().anonymous.post('/api/auth/login', { email: h().admin.email, password: h().admin.password });
    expect([200, 429], login.text).toContain(login.status);
    if (login.status === 429) expect(login.body.code).toBe('TOO_MANY_REQUESTS');
    const admin = await sessionOf(h(), h().admin.id);
    const me = await admin.get('/ng/api/user/currentUser');
    expect(me.status, me.text).toBe(200);
    expect(me.body.data.uuid).toBe(h().admin.id);
    expect(me.body.data.admin).toBe(true);
    // The fixtures are exactly as they were, and their tokens still authenticate.
    expect(await snapshot()).toBe(fixture.snapshot);
    for (const token of fixture.tokens) {
      const res = await whoAmI(h(), token);
      expect(res.status, res.text).toBe(200);
    }
  });

  it('never lets a token value or password reach the logs, the audit trail or an error message', async () => {
    const secrets = [...ctx.issued, ...ctx.passwords];
    // The fuzz did see secrets to look for (unless it was narrowed to a few routes).
    if (!process.env.KEYSMITH_FUZZ_ONLY) {
      expect(ctx.issued.size).toBeGreaterThan(8);
      expect(ctx.passwords.size).toBeGreaterThan(8);
      expect(ctx.errorTexts.length).toBeGreaterThan(100);
    }
    const logs = h().logs.join('\n');
    const audit = JSON.stringify(await h().store.db.selectFrom('audit_events').selectAll().execute());
    const errors = ctx.errorTexts.join('\n');
    const leaks: string[] = [];
    for (const secret of secrets) {
      // Also look for the secret part of a token alone, in case a message quotes only that.
      const parts = [secret, ...(/^(?:pat|sat)\./.test(secret) ? [secret.split('.')[3]] : [])];
      for (const part of parts) {
        if (logs.includes(part)) leaks.push(`logs hold ${part.slice(0, 8)}…`);
        if (audit.includes(part)) leaks.push(`audit trail holds ${part.slice(0, 8)}…`);
        if (errors.includes(part)) leaks.push(`an error message holds ${part.slice(0, 8)}…`);
      }
    }
    expect(leaks).toEqual([]);
  });
}, { env: { KEYSMITH_LOG_LEVEL: 'info' } });
