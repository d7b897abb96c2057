// Wire types of `GET /api/v1/taxii` (docs/sharing.md "REST"): the member's TAXII collections.

/** `GET /api/v1/taxii` (docs/sharing.md). Titles of group and organization collections are member text. */
export interface CollectionSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  readonly objectsUrl: string;
  readonly objects: number;
  readonly objectsCapped: boolean;
}

export interface TaxiiConnection {
  readonly discoveryUrl: string;
  readonly apiRootUrl: string;
  readonly collections: readonly CollectionSummary[];
}
