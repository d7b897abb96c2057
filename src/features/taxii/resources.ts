import type { Config } from '../../core/config.ts';
import { TAXII_MEDIA_TYPE } from './media.ts';

/** Where the TAXII server lives, under the instance's public URL. */
export const TAXII_PREFIX = '/taxii2';
/** The one API root (TAXII 2.1 §4.2): every collection lives under it. */
export const API_ROOT_PATH = '/api';

export function apiRootUrl(config: Config): string {
  return `${config.publicUrl}${TAXII_PREFIX}${API_ROOT_PATH}/`;
}

/** TAXII 2.1 §4.1.1 discovery resource. */
export function discoveryResource(config: Config) {
  return {
    title: `Tabella TAXII server (${config.instanceName})`,
    description:
      'Threat intelligence shared by the partnership under TLP 2.0 and distribution rules. ' +
      'Authenticate with HTTP Basic <member e-mail>:<API token> or a Bearer token; ' +
      'the Public collection is readable without.',
    default: apiRootUrl(config),
    api_roots: [apiRootUrl(config)],
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
