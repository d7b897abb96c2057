/**
 * The deepest nesting of arrays and objects a request body may have (the body itself is level 1).
 * STIX needs little: the deepest object in the shared MITRE ATT&CK, DISARM and OASIS example
 * bundles nests 4 levels, 6 inside a TAXII envelope; OSCAL catalogs, the deepest documents we
 * know of, nest 18. 64 leaves ample room, and bounds every recursive walker behind the input
 * guards (Ajv, the STIX validator, canonical JSON, markings) far below the stack's limit. Deeper
 * bodies are 400 NESTING_TOO_DEEP, on every route (server/input-guards.ts; TAXII bodies in
 * features/taxii/json-text.ts).
 */
export const MAX_JSON_DEPTH = 64;
