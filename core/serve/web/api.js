// The HTTP API of docs/serve.md: JSON bodies, the CSRF header on every staff change.

let csrf = '';
export function setCsrf(token) { csrf = token || ''; }

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/// Sends one request. `body` is JSON unless `type` says otherwise; a POST without a body
/// sends `{}`. Resolves to the parsed JSON (or the text for `raw`), rejects with ApiError.
export async function api(method, path, body, {type = 'application/json', raw = false} = {}) {
  const headers = {Accept: raw ? '*/*' : 'application/json'};
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let payload;
  if (method !== 'GET' && !(method === 'DELETE' && body === undefined)) {
    headers['Content-Type'] = type;
    payload = type === 'application/json' ? JSON.stringify(body === undefined ? {} : body) : body;
  }
  let r;
  try {
    r = await fetch(path, {method, headers, body: payload, credentials: 'same-origin', cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, 'network', 'the server could not be reached: check the connection and try again');
  }
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!r.ok) {
    const code = (data && data.error) || `http_${r.status}`;
    const message = (data && data.message) || text || r.statusText;
    const err = new ApiError(r.status, code, message, r.headers.get('Retry-After'));
    err.body = data;
    throw err;
  }
  return raw ? text : data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);
export const del = (path) => api('DELETE', path);
