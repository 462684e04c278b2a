// The query-string parser of the app. Repeated parameters are lists (`identifiers=a&identifiers=b`),
// as Harness's API reads them; a parameter repeated with one and the same value is that value, so a
// client that sends `accountIdentifier=A` twice (a generated SDK adding it once as a required
// parameter and once more from its options) is answered as if it had sent it once — by the token
// check, the scope and the schemas alike. Different values stay a list (a scalar field then fails
// its schema with a 400).
import { parse } from 'node:querystring';

export function parseQueryString(query: string): Record<string, string | string[]> {
  if (query.length === 0) return Object.create(null);
  const parsed = parse(query, '&', '=', { maxKeys: 0 });
  // No prototype, as Fastify's own parser: a `__proto__` parameter is just a parameter.
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) && value.every((v) => v === value[0]) ? value[0] : value;
  }
  return out;
}
