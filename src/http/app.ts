// Builds the Fastify application: strict validation, the Harness envelope for every answer
// (Fastify's own 400/404/413/415 included), authentication before anything else, metrics, the
// OpenAPI document, the console's static files, and every route.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyContextConfig, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type Options as AjvOptions } from 'ajv';
import { authenticateCached, authenticateRequest } from '../auth/authenticate.js';
import type { Principal } from '../auth/principal.js';
import type { Limited } from '../auth/rate-limit.js';
import type { Services } from '../services.js';
import { registerRoutes } from '../routes/index.js';
import { registerBodyParsers, type BodyKind } from './body-parsers.js';
import { errorBody, handleError, notFound } from './errors.js';
import { createMetrics, type Metrics, type RouteSeries } from './metrics.js';
import { guardSchema, readingFlagsInAnyCase } from './guard-schema.js';
import { parseQueryString } from './query-string.js';
import { nulInUrl } from './nul-guard.js';
import { answerRefusalsInEnvelope, clientErrorHandler } from './client-errors.js';
import { newCorrelationId } from './correlation-id.js';
import { version } from '../version.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    correlationId: string;
    /** Where the metrics count this request: its route's record, null when no route matched. */
    routeSeries: RouteSeries | null;
    /** performance.now() when keysmith first saw the request. */
    startedAt: number;
  }
  interface FastifyContextConfig {
    /** 'public' routes need no credentials; everything else does. */
    auth?: 'public' | 'required';
    /** How the route reads its body (body-parsers.ts); JSON unless it says otherwise. */
    body?: BodyKind;
  }
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

export const BODY_LIMIT = 1024 * 1024;
/** Up to 128 printable ASCII characters (space included); anything else gets a new UUID. */
const CORRELATION_ID_RE = /^[\x20-\x7e]{1,128}$/;

function makeAjv(options: AjvOptions): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true, // keeps the failing value on each error, for messages like "x is a reserved word"
    useDefaults: false,
    removeAdditional: false,
    ...options,
  });
  ajv.addKeyword({ keyword: 'modifier' }).addKeyword({ keyword: 'kind' });
  return ajv;
}

function webRoot(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '../web'), join(here, '../../dist/web')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

/**
 * The request's correlation id: a well-formed incoming `X-Correlation-Id`, exactly as sent, else a
 * new UUID. (`correlationIdJson` relies on both: an id that is not the header's is one keysmith made.)
 */
function correlationIdOf(req: FastifyRequest): string {
  const incoming = req.headers['x-correlation-id'];
  return typeof incoming === 'string' && CORRELATION_ID_RE.test(incoming) ? incoming : newCorrelationId();
}

/** What every answer carries: the correlation id (echoed or new), and the start for the metrics. */
function startRequest(req: FastifyRequest, reply: FastifyReply): void {
  req.startedAt = performance.now();
  req.correlationId = correlationIdOf(req);
  reply.header('x-correlation-id', req.correlationId);
}

/**
 * What the console's pages may load and run: its own scripts and styles only (Mantine also sets
 * inline styles), images of its own or `data:` (the icon), calls to its own API; never framed by
 * another site (clickjacking: the console deletes keys and shows token values). An injected script
 * could read a token value off the screen, so none that is not the console's own may run.
 */
const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** The console's files: that policy, never sniffed as another type, and no Referer sent from them. */
function consoleHeaders(reply: FastifyReply): void {
  reply.header('x-frame-options', 'DENY');
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
}

const API_PREFIXES = ['/ng/', '/gateway/', '/authz/', '/resourcegroup/', '/api/'];
const isApiPath = (url: string) => API_PREFIXES.some((p) => url.startsWith(p));

/** Whether an unmatched request's path is under the API, read as the router reads it: decoded (`/%6eg/api/x` is). */
function isApiRequest(url: string): boolean {
  if (isApiPath(url)) return true;
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  if (!path.includes('%')) return false;
  try {
    return isApiPath(decodeURIComponent(path));
  } catch {
    return false; // a malformed escape is refused before any hook (frameworkErrors)
  }
}

/**
 * The console file a request's path names, relative to `root`, when it is a regular file there:
 * segment by segment as sent (an escaped `/` or `\` inside one is refused, not taken as a
 * separator), no empty or hidden segment, so nothing outside `root`. Null otherwise.
 */
async function builtFile(root: string, url: string): Promise<string | null> {
  const end = url.indexOf('?');
  let segments: string[];
  try {
    segments = (end === -1 ? url : url.slice(0, end)).split('/').slice(1).map(decodeURIComponent);
  } catch {
    return null;
  }
  const refused = (s: string) => s === '' || s.startsWith('.') || s.includes('/') || s.includes('\\') || s.includes('\0');
  if (segments.length === 0 || segments.some(refused)) return null;
  const relative = segments.join('/');
  try {
    return (await stat(join(root, relative))).isFile() ? relative : null;
  } catch {
    return null;
  }
}

type Done = (err?: Error) => void;

/**
 * The onRequest hook of one route: the correlation id; then, when `authenticated` (the API's
 * non-public routes), authentication and the per-key budget; then U+0000 in the URL (nul-guard.ts).
 * Written with a callback and a synchronous path: a request whose token is cached, counted in
 * memory, passes without creating one promise — this runs before every API request. `route` names
 * the route in the metrics.
 */
function requestHook(services: Services, metrics: Metrics, route: string, authenticated: boolean) {
  const seriesByMethod = new Map<string, RouteSeries>();

  function refuseNul(req: FastifyRequest, done: Done): void {
    const nul = nulInUrl(req);
    if (nul) done(nul);
    else done();
  }

  function limit(req: FastifyRequest, reply: FastifyReply, done: Done, limited: Limited): void {
    if (!limited) { refuseNul(req, done); return; }
    // Harness answers the per-key limit in plain text, and clients match on this exact body.
    reply.code(429).header('content-type', 'text/plain; charset=utf-8')
      .header('retry-after', String(limited.retryAfterSeconds))
      .send(`Too Many requests. Throttled. Max QPS: ${limited.qps.toFixed(1)}`);
  }

  function afterAuthentication(req: FastifyRequest, reply: FastifyReply, done: Done, now: number): void {
    const principal = req.principal;
    if (!principal?.token) { refuseNul(req, done); return; }
    services.lastUsed.touch(principal.token.tokenId, now);
    const limited = services.rateLimiter.consumeCached(principal, now);
    if (limited !== undefined) { limit(req, reply, done, limited); return; }
    services.rateLimiter.consume(principal).then((l) => limit(req, reply, done, l), done);
  }

  return function onRequest(req: FastifyRequest, reply: FastifyReply, done: Done): void {
    startRequest(req, reply);
    let series = seriesByMethod.get(req.method);
    if (!series) seriesByMethod.set(req.method, series = metrics.series(req.method, route));
    req.routeSeries = series;
    if (!authenticated) { refuseNul(req, done); return; }
    // One reading of the clock for the cached path: the token's validity, its last use, its budget.
    const now = services.now();
    if (authenticateCached(services, req, now)) { afterAuthentication(req, reply, done, now); return; }
    authenticateRequest(services, req).then(() => afterAuthentication(req, reply, done, services.now()), done);
  };
}

export async function buildApp(services: Services): Promise<App> {
  const { config } = services;
  const { trustProxy } = config;
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // A number of hops: the socket's peer and the next ones are proxies (`hop` 0 is the peer), and the
    // client is the address before them in X-Forwarded-For. (Fastify takes a bare number as "none".)
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    requestIdHeader: false,
    // What Node's HTTP parser refuses (headers over the limit, bad HTTP) is answered as an ErrorDTO too.
    clientErrorHandler,
    // A client has requestTimeoutMs to send its whole request (Fastify's default is no limit: one
    // trickling a body a byte at a time would hold a connection, and a shutdown's drain, for ever),
    // and at most 60 s for its headers (Node's default; Node enforces neither limit unless the
    // headers' is the shorter). Node looks at its connections every 30 s, or as often as the limit
    // when it is shorter; a late request gets a 408 (client-errors.ts).
    http: {
      // A request without Host (HTTP/1.0 clients, hand-made ones) is served: keysmith does not use
      // the header, and Node would answer it with an empty 400 of its own.
      requireHostHeader: false,
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, config.requestTimeoutMs),
    },
    requestTimeout: config.requestTimeoutMs,
    // No logger for Fastify: it would log each request (a cost on the hot path) and, having one,
    // set up 'finish' listeners on every response. Unexpected errors are logged by handleError,
    // with the correlation id, through services.logger.
    logger: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512, querystringParser: parseQueryString },
    // The router's own failures (a malformed %-escape, an over-long path parameter) come before any
    // hook: without this, Fastify answers them with its own body instead of the Harness envelope.
    frameworkErrors: (error, req, reply) => {
      startRequest(req, reply);
      return handleError(error, req, reply, services.logger);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  answerRefusalsInEnvelope(app.server);

  // Bodies are strict (a wrong type is a 400); query strings and params are strings on the wire,
  // so they are coerced to the declared types, and a single value becomes a one-element list.
  const strictAjv = makeAjv({ coerceTypes: false });
  const queryAjv = makeAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart = 'body' }) =>
    readingFlagsInAnyCase((httpPart === 'body' ? strictAjv : queryAjv).compile(guardSchema(schema, httpPart)), schema, httpPart));

  app.decorateRequest('principal', null);
  app.decorateRequest('correlationId', '');
  app.decorateRequest('routeSeries', null);
  app.decorateRequest('startedAt', 0);

  registerBodyParsers(app);
  if (config.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.corsOrigins,
      credentials: true,
      // Every method the API serves (the plugin's default is GET, HEAD and POST only), and the
      // headers a browser client needs to read: the correlation id, and Retry-After on a 429.
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      exposedHeaders: ['X-Correlation-Id', 'Retry-After'],
    });
  }
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'keysmith', version, description: 'API keys and access tokens, Harness-compatible' },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          session: { type: 'apiKey', in: 'cookie', name: 'keysmith_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });

  const metrics = createMetrics();

  // Each route gets the one onRequest hook its kind needs, chosen here once rather than worked out
  // on every request; the hook also finds the route's record in the metrics.
  app.addHook('onRoute', (route) => {
    const config: FastifyContextConfig = route.config ?? {};
    const hook = requestHook(services, metrics, route.url, config.auth !== 'public' && isApiPath(route.url));
    route.onRequest = route.onRequest ? [hook, ...[route.onRequest].flat()] : [hook];
  });

  // Counted when the answer is handed over (for a file, when its stream starts), not on the socket's
  // 'finish': listening for that event on every response costs more than everything else here.
  app.addHook('onSend', (req, reply, payload, done) => {
    metrics.observe(req.routeSeries ?? metrics.series(req.method, 'unmatched'), reply.statusCode, performance.now() - req.startedAt);
    done(null, payload);
  });

  app.setErrorHandler((error, req, reply) => {
    // An error before any hook ran (a body refused by its parser, say) still gets its correlation id.
    if (!req.correlationId) startRequest(req, reply);
    return handleError(error, req, reply, services.logger);
  });

  const web = webRoot();
  if (web) {
    await app.register(fastifyStatic, { root: web, prefix: '/', wildcard: false, index: ['index.html'], setHeaders: consoleHeaders });
  }

  // No route matched. Under the API's prefixes the request is still authenticated first (before its
  // body is read) and counted against its key, as every API request is (SPEC §2: 401 before 404): the
  // not-found handler has the API's hook for those paths. One handler in the root context, as every
  // route is there (routes/index.ts says why).
  const answerNotFound = async (req: FastifyRequest, reply: FastifyReply) => {
    if (web && (req.method === 'GET' || req.method === 'HEAD') && !isApiRequest(req.url)) {
      // A file the console's build wrote after start-up (the static routes list the files found at
      // start): a rebuild under a running server — an upgrade by `npm install` — points the index,
      // read afresh, at new asset names, which would otherwise be 404s and a blank page.
      const late = await builtFile(web, req.url);
      if (late) return reply.sendFile(late);
      // The console is a single-page app: unknown non-API paths that want HTML get its index.
      if ((req.headers.accept ?? '').includes('text/html')) return reply.type('text/html').sendFile('index.html');
    }
    return reply.code(404).send(errorBody(notFound(req), req.correlationId));
  };
  const unmatchedApiRequest = requestHook(services, metrics, 'unmatched', true);
  const unmatchedRequest = requestHook(services, metrics, 'unmatched', false);
  const notFoundOptions = {
    onRequest: (req: FastifyRequest, reply: FastifyReply, done: Done) =>
      (isApiRequest(req.url) ? unmatchedApiRequest : unmatchedRequest)(req, reply, done),
  };
  // Fastify runs every lifecycle hook named in these options (its types list only two of them).
  app.setNotFoundHandler(notFoundOptions as Parameters<App['setNotFoundHandler']>[0], answerNotFound);

  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'UP' }));
  app.get('/readyz', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    const details = await readiness(services);
    return reply.code(details.ready ? 200 : 503).send(details);
  });
  app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  registerRoutes(app, services);
  return app;
}

export interface Readiness { ready: boolean; store: 'up' | 'down'; redis: 'up' | 'down' | 'not configured' }

async function readiness(services: Services): Promise<Readiness> {
  let store: Readiness['store'] = 'up';
  try { await services.store.ping(); } catch { store = 'down'; }
  // Redis being away degrades (per-instance limits) but does not make an instance unready.
  return { ready: store === 'up', store, redis: services.redisStatus() };
}
