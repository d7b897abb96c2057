export { collectionId } from './collections.ts';
export { taxiiConnectionRoutes } from './connection.ts';
export { toTaxiiError } from './error-resource.ts';
export { TAXII_MEDIA_TYPE } from './media.ts';
export { TAXII_PREFIX } from './resources.ts';
export { taxiiRoutes } from './routes.ts';
