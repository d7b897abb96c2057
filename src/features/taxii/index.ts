export { collectionId } from './collections.ts';
export { TAXII_MEDIA_TYPE } from './media.ts';
export { taxiiRoutes } from './routes.ts';
