// HTTP to the Unknot API: JSON in and out, the Bearer token read fresh at send time.
import { getMeta } from './db.js';

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, body = {}, retryAfter = null) {
    super(body.message || (status ? `Request failed (${status})` : 'No connection'));
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

/**
 * Send one request; resolve with the JSON body (a Blob with `blob: true`, for downloads) or
 * throw ApiError (status 0: no network).
 */
export async function api(method, path, body, { cache = 'no-store', blob = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = await getMeta('token');
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(BASE + path, {
      method, headers, cache, credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { error: 'Offline', message: 'No connection; it will be tried again.' });
  }
  if (blob && response.ok) return response.blob();
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const wait = Number(response.headers.get('Retry-After'));
    throw new ApiError(response.status, data || {}, Number.isFinite(wait) && wait > 0 ? wait : null);
  }
  return data;
}
