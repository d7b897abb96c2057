export { collectionId } from './collections.ts';
export { taxiiConnectionRoutes } from './connection.ts';
export { TAXII_MEDIA_TYPE } from './media.ts';
export { taxiiRoutes } from './routes.ts';
