/**
 * The error catalogue: every error Plumbline raises on purpose has a code
 * (`PLB_ERR_*`), an HTTP status and a message that names the field, the value
 * and what was expected. Built in the style of fastify's `FST_ERR_*`.
 */

/** One field-level problem, as returned in 4xx bodies and CLI errors. */
export interface Issue {
  /** Where: a column, a JSON path (`events[3].score`), an option (`--label`). */
  field: string;
  /** The offending value, if any (stringified for display). */
  value?: unknown;
  /** What was expected instead. */
  expected: string;
  /** Index of the offending item in a batch, if any. */
  index?: number;
}

/** An error with a catalogue code, an HTTP status and its field-level issues. */
export class PlumblineError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly issues: Issue[];

  constructor(
    code: string,
    statusCode: number,
    message: string,
    issues: Issue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PlumblineError';
    this.code = code;
    this.statusCode = statusCode;
    this.issues = issues;
  }
}

type ErrorFactory = (message: string, issues?: Issue[], options?: ErrorOptions) => PlumblineError;

function define(code: string, statusCode: number): ErrorFactory {
  return (message, issues = [], options) => new PlumblineError(code, statusCode, message, issues, options);
}

/** The catalogue. Add new codes here, never ad hoc. */
export const errors = {
  /** A request or file failed validation; `issues` lists each field. */
  invalidInput: define('PLB_ERR_INVALID_INPUT', 400),
  /** A file given on the command line or by path does not exist or cannot be read. */
  fileNotFound: define('PLB_ERR_FILE_NOT_FOUND', 404),
  /** A file exists but has no rows. */
  emptyInput: define('PLB_ERR_EMPTY_INPUT', 400),
  /** A file exists but cannot be parsed as a table (not CSV/Parquet, corrupt). */
  unreadableFile: define('PLB_ERR_UNREADABLE_FILE', 422),
  /** A named column is not in the data. */
  unknownColumn: define('PLB_ERR_UNKNOWN_COLUMN', 400),
  /** A named entity (model, version, alert, …) does not exist. */
  notFound: define('PLB_ERR_NOT_FOUND', 404),
  /** The entity exists already with different content. */
  conflict: define('PLB_ERR_CONFLICT', 409),
  /** The request body exceeds the configured limit. */
  payloadTooLarge: define('PLB_ERR_PAYLOAD_TOO_LARGE', 413),
  /** Missing or invalid credentials. */
  unauthorized: define('PLB_ERR_UNAUTHORIZED', 401),
  /** Valid credentials without the needed scope. */
  forbidden: define('PLB_ERR_FORBIDDEN', 403),
  /** A model file could not be parsed or has an unknown format. */
  invalidModel: define('PLB_ERR_INVALID_MODEL', 422),
  /** The store failed; the cause keeps the query and its parameters. */
  store: define('PLB_ERR_STORE', 500),
  /** The request body has a content type the endpoint does not read. */
  unsupportedMediaType: define('PLB_ERR_UNSUPPORTED_MEDIA_TYPE', 415),
} as const;

/** Renders an error and its issues for a terminal. */
export function formatError(err: unknown): string {
  if (err instanceof PlumblineError) {
    const lines = [`error ${err.code}: ${err.message}`];
    for (const issue of err.issues) {
      const at = issue.index !== undefined ? `[${issue.index}] ` : '';
      const value = issue.value !== undefined ? ` (got ${JSON.stringify(issue.value)})` : '';
      lines.push(`  - ${at}${issue.field}: expected ${issue.expected}${value}`);
    }
    return lines.join('\n');
  }
  return err instanceof Error ? `error: ${err.message}` : `error: ${String(err)}`;
}
