import type { StixMetaObject } from './meta.ts';
import type { StixCyberObservable } from './sco.ts';
import type { StixDomainObject } from './sdo.ts';
import type { StixRelationshipObject } from './sro.ts';

export type * from './common.ts';
export type * from './meta.ts';
export type * from './sco.ts';
export type * from './sdo.ts';
export type * from './sro.ts';

/** Every object STIX 2.1 defines, discriminated by `type`. */
export type StixObject = StixDomainObject | StixRelationshipObject | StixCyberObservable | StixMetaObject;
