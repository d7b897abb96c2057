// A small fetch wrapper for the Tabella API (docs/api.md). The CSRF token lives only in memory:
// it arrives with every session answer and is re-read with `GET /api/v1/session` after a reload.

/** An error answer of the API: `{ statusCode, code, error, message, fields? }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: readonly string[];
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: readonly string[],
    retryAfter: number | null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfterSeconds = retryAfter;
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the current session (null after sign-out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const retry = Number(res.headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  if (isRecord(body) && typeof body.code === 'string') {
    const fields = Array.isArray(body.fields) ? body.fields.filter((f) => typeof f === 'string') : [];
    const message = typeof body.message === 'string' ? body.message : res.statusText;
    return new ApiError(res.status, body.code, message, fields, retryAfter);
  }
  return new ApiError(res.status, `HTTP_${res.status}`, res.statusText, [], retryAfter);
}

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network error', [], null);
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string): Promise<T> => request<T>('GET', path),
  post: <T>(path: string, body?: unknown): Promise<T> => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown): Promise<T> => request<T>('PATCH', path, body),
  delete: (path: string, body?: unknown): Promise<void> => request<void>('DELETE', path, body),
};
