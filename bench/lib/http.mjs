// The few API calls the bench makes to set itself up, over fetch (127.0.0.1 only).

export async function call(baseUrl, method, path, { headers = {}, body, query } = {}) {
  const url = new URL(path, baseUrl);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, body: json };
}

export async function mustCall(baseUrl, method, path, options) {
  const res = await call(baseUrl, method, path, options);
  if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${res.text.slice(0, 500)}`);
  return res;
}

/** Logs in like the console: returns the cookie and CSRF headers, and the caller's UserInfo. */
export async function login(baseUrl, email, password) {
  const res = await mustCall(baseUrl, 'POST', '/api/auth/login', { body: { email, password } });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('keysmith_session=')).split(';')[0];
  return { headers: { cookie, 'x-csrf-token': res.body.data.csrfToken }, user: res.body.data };
}

/** Creates a PAT of the logged-in user under `apiKeyIdentifier` (created if missing); resolves to its value. */
export async function createPat(baseUrl, session, apiKeyIdentifier, identifier) {
  const accountIdentifier = session.user.defaultAccountId;
  const res = await mustCall(baseUrl, 'POST', '/ng/api/token', {
    headers: session.headers,
    query: { accountIdentifier },
    body: {
      identifier, name: identifier, apiKeyIdentifier, parentIdentifier: session.user.uuid, apiKeyType: 'USER', accountIdentifier,
    },
  });
  return res.body.data;
}

export async function deletePat(baseUrl, session, apiKeyIdentifier, identifier) {
  return mustCall(baseUrl, 'DELETE', `/ng/api/token/${identifier}`, {
    headers: session.headers,
    query: {
      accountIdentifier: session.user.defaultAccountId, apiKeyType: 'USER', parentIdentifier: session.user.uuid, apiKeyIdentifier,
    },
  });
}
