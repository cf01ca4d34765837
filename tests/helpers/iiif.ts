// The official IIIF Presentation 3 JSON Schema (vendored from IIIF/presentation-validator, see
// tests/fixtures/iiif/README.md), compiled with ajv 8 the way that validator's Draft 7 schema needs.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

let compiled: ValidateFunction | null = null;

export function iiifValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/iiif/iiif_3_0.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

/** Validation errors as short readable lines (empty when valid). */
export function iiifErrors(doc: unknown): string[] {
  const validate = iiifValidator();
  if (validate(doc)) return [];
  return (validate.errors ?? [])
    .slice(0, 30)
    .map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
