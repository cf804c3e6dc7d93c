/**
 * Maps every error a request can meet — catalogue errors, JSON-schema failures, Fastify's body
 * errors — to the one error body `{ error: { code, message, issues } }` with its status.
 */
import type { FastifyError } from 'fastify';
import { errors, type Issue, PlumblineError } from '../errors.js';
import type { ErrorBody } from '../ingest/schema.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function valueAt(body: unknown, path: string[]): unknown {
  let v: unknown = body;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Turns Ajv errors into field-level issues (field = dotted path, value read from the body). */
export function issuesFromValidation(validation: AjvError[], body: unknown, context = 'body'): Issue[] {
  return validation.map((e) => {
    const path = e.instancePath.split('/').filter(Boolean);
    const extra =
      e.keyword === 'required'
        ? String(e.params.missingProperty)
        : e.keyword === 'additionalProperties'
          ? String(e.params.additionalProperty)
          : undefined;
    const full = extra !== undefined ? [...path, extra] : path;
    const field = full.length > 0 ? full.join('.') : context;
    const expected =
      e.keyword === 'required'
        ? 'a value (required)'
        : e.keyword === 'additionalProperties'
          ? 'no such field'
          : e.keyword === 'enum'
            ? `one of ${(e.params.allowedValues as unknown[]).join(', ')}`
            : (e.message ?? e.keyword);
    const value = e.keyword === 'required' ? undefined : valueAt(body, full);
    return value === undefined ? { field, expected } : { field, value, expected };
  });
}

/** Converts any thrown error to a catalogue error. */
export function toPlumblineError(err: unknown, body?: unknown): PlumblineError {
  if (err instanceof PlumblineError) return err;
  const e = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e.validation) {
    const issues = issuesFromValidation(e.validation, body, e.validationContext);
    return errors.invalidInput(
      `${issues.length} problem(s) in the request ${e.validationContext ?? 'body'}`,
      issues,
    );
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge('request body exceeds the size limit', [
        { field: 'body', expected: 'a smaller body (split the batch)' },
      ]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType(`unsupported content type`, [
        { field: 'content-type', expected: 'application/json or application/x-ndjson' },
      ]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.invalidInput('request body is not valid JSON', [
        { field: 'body', value: e.message, expected: 'a JSON document' },
      ]);
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return errors.invalidInput(e.message, [{ field: 'request', expected: 'a valid request' }]);
  }
  return errors.store('internal error; the request was not applied', [], { cause: err });
}

/** The JSON body of an error answer. */
export function errorBody(err: PlumblineError): ErrorBody {
  return { error: { code: err.code, message: err.message, issues: err.issues } };
}
