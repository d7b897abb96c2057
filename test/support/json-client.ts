import { ApiClient, type Reply } from './client.ts';

// biome-ignore lint/suspicious/noExplicitAny: test replies are JSON inspected dynamically
type Json = any;

/**
 * ApiClient whose replies default to untyped JSON, so tests can read nested fields
 * (`r.body.member.roles`) without casts; behaviour is ApiClient's.
 */
export class Client extends ApiClient {
  /** Sent as X-Forwarded-For, so a test can play several client addresses (see `asClientAt`). */
  forwardedFor: string | undefined;

  /** The same client seen as coming from another address (for per-address rate limits). */
  asClientAt(address: string): Client {
    this.forwardedFor = address;
    return this;
  }

  override call<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const h =
      this.forwardedFor === undefined ? headers : { 'x-forwarded-for': this.forwardedFor, ...headers };
    return super.call<T>(method, path, body, h);
  }

  override withToken(token: string): Client {
    const c = new Client(this.base);
    c.authorization = `Bearer ${token}`;
    return c;
  }

  override withBasic(email: string, token: string): Client {
    const c = new Client(this.base);
    c.authorization = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
    return c;
  }

  /** The same browser session (cookie) without its CSRF token. */
  withoutCsrf(): Client {
    const c = new Client(this.base);
    c.cookie = this.cookie;
    return c;
  }

  override get<T = Json>(path: string): Promise<Reply<T>> {
    return this.call<T>('GET', path);
  }
  override post<T = Json>(path: string, body?: unknown): Promise<Reply<T>> {
    return this.call<T>('POST', path, body ?? {});
  }
  override patch<T = Json>(path: string, body: unknown): Promise<Reply<T>> {
    return this.call<T>('PATCH', path, body);
  }
  override delete<T = Json>(path: string, body?: unknown): Promise<Reply<T>> {
    return this.call<T>('DELETE', path, body);
  }
}
