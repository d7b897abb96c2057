import { Ajv, type Options } from 'ajv';
import * as addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = addFormatsModule.default as unknown as (ajv: Ajv) => Ajv;

/**
 * Two validators: request bodies are checked exactly (no type coercion, unknown fields rejected
 * rather than silently removed), while path and query strings, which are text by nature, are
 * coerced to the declared types.
 */
export function installValidation(app: FastifyInstance): void {
  const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
  const exact = new Ajv({ ...common, coerceTypes: false });
  const lenient = new Ajv({ ...common, coerceTypes: 'array' });
  addFormats(exact);
  addFormats(lenient);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? exact : lenient;
    return ajv.compile(schema) as ReturnType<Parameters<FastifyInstance['setValidatorCompiler']>[0]>;
  });
}
