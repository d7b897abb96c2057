import type { Config } from '../../core/config.ts';
import { TAXII_MEDIA_TYPE } from './media.ts';

/** Where the TAXII server lives, under the instance's public URL. */
export const TAXII_PREFIX = '/taxii2';
/** The one API root (TAXII 2.1 §4.2): every collection lives under it. */
export const API_ROOT_PATH = '/api';

/** A Host header we are willing to echo: a host name or address and an optional port. */
const HOST_RE = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The base URL to advertise to this client: the configured public URL when the operator set one;
 * otherwise the scheme and host the client used, so that discovery's absolute API-root URLs work
 * from wherever the server was reached (a published container port, an address instead of
 * `localhost`). Responses that use it vary by Host.
 */
export function baseUrlFor(config: Config, req: { protocol: string; host: string }): string {
  if (config.publicUrlSet || !HOST_RE.test(req.host)) return config.publicUrl;
  return `${req.protocol === 'https' ? 'https' : 'http'}://${req.host}`;
}

export function apiRootUrl(base: string): string {
  return `${base}${TAXII_PREFIX}${API_ROOT_PATH}/`;
}

/** TAXII 2.1 §4.1.1 discovery resource; `base` from `baseUrlFor`. */
export function discoveryResource(config: Config, base: string) {
  return {
    title: `Tabella TAXII server (${config.instanceName})`,
    description:
      'Threat intelligence shared by the partnership under TLP 2.0 and distribution rules. ' +
      'Authenticate with HTTP Basic <member e-mail>:<API token> or a Bearer token; ' +
      'the Public collection is readable without.',
    default: apiRootUrl(base),
    api_roots: [apiRootUrl(base)],
  };
}

/** TAXII 2.1 §4.2.1 API root resource; `max_content_length` is the server's body limit. */
export function apiRootResource(config: Config) {
  return {
    title: 'Tabella intelligence',
    description: 'Collections: Community, Public, your organization and each of your sharing groups.',
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: config.bodyLimitBytes,
  };
}
