/** A minimal HTTP client for integration tests: keeps the session cookie and CSRF token like a browser. */
export interface Reply<T = Loose> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Replies are inspected dynamically in tests; the assertions are the type check. */
// biome-ignore lint/suspicious/noExplicitAny: see above
type Loose = any;

export class ApiClient {
  cookie: string | undefined;
  csrf: string | undefined;
  authorization: string | undefined;

  constructor(readonly base: string) {}

  withToken(token: string): ApiClient {
    const c = new ApiClient(this.base);
    c.authorization = `Bearer ${token}`;
    return c;
  }

  withBasic(email: string, token: string): ApiClient {
    const c = new ApiClient(this.base);
    c.authorization = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
    return c;
  }

  async call<T = Loose>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && h['content-type'] === undefined) h['content-type'] = 'application/json';
    if (this.cookie !== undefined) h.cookie = this.cookie;
    if (this.csrf !== undefined && method !== 'GET' && h['x-csrf-token'] === undefined)
      h['x-csrf-token'] = this.csrf;
    if (this.authorization !== undefined) h.authorization = this.authorization;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: h,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie !== null) {
      const first = setCookie.split(';')[0] ?? '';
      this.cookie = first.endsWith('=') ? undefined : first;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON (HTML pages); keep the text.
    }
    const reply = { status: res.status, body: parsed as T, headers: res.headers };
    const csrf = (parsed as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof csrf === 'string') this.csrf = csrf;
    return reply;
  }

  get<T = Loose>(path: string) {
    return this.call<T>('GET', path);
  }
  post<T = Loose>(path: string, body?: unknown) {
    return this.call<T>('POST', path, body ?? {});
  }
  patch<T = Loose>(path: string, body: unknown) {
    return this.call<T>('PATCH', path, body);
  }
  delete<T = Loose>(path: string, body?: unknown) {
    return this.call<T>('DELETE', path, body);
  }
}
