// The field rules of SPEC §2, in one place: the patterns the JSON schemas enforce, and the
// messages a user sees when a value breaks them.

export const RESERVED_IDENTIFIERS = [
  'or', 'and', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'div', 'mod', 'not', 'null', 'true', 'false', 'new',
  'var', 'return', 'step', 'parallel', 'stepGroup', 'org', 'account', 'class', 'shellScriptProvisioner',
] as const;

export const IDENTIFIER_PATTERN = '^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$';
/** Not blank, at most 128 characters of letters, digits, -, _, ., space and /. */
export const NAME_PATTERN = '^(?=.*[^ ])[A-Za-z0-9\\-_. /]{1,128}$';
export const MAX_DESCRIPTION = 1024;
export const MAX_TAGS = 128;
/**
 * The last instant a JavaScript Date can hold. Bounding instants (and durations) by it keeps every
 * value, and any sum of two, inside a 64-bit column: a larger one is a 400, never a database error.
 */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;
/**
 * The smallest per-key budget: one request per 1,000 seconds. Below it a window would outgrow what
 * Redis takes as an expiry and what Retry-After can say in whole seconds.
 */
export const MIN_QPS = 0.001;
/** The largest: beyond a million requests per second a budget means nothing. */
export const MAX_QPS = 1_000_000;
/**
 * An email as stored and compared: Unicode NFC, then lower case. "jörg@…" typed as one character or
 * as o + combining diaeresis is the same address, as it looks the same to anyone reading it.
 */
export const normalizeEmail = (email: string) => email.normalize('NFC').toLowerCase();
/**
 * Characters that steer a terminal or the direction of text rather than show (C0 and C1 controls,
 * DEL, bidirectional embeddings, overrides and isolates): kept out of emails and people's names,
 * which the start-up banner and the CLI print. The left-to-right and right-to-left marks (U+200E,
 * U+200F), which names written in two directions need, are not among them.
 */
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
const CONTROL_CHARACTERS = new RegExp(`[${CONTROLS}]`, 'g');
/** `text` with each of those characters written as `\\uXXXX`, for printing where they could steer. */
export const escapeControls = (text: string) =>
  text.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
export const EMAIL_PATTERN = `^[^\\s@${CONTROLS}]+@[^\\s@${CONTROLS}]+\\.[^\\s@${CONTROLS}]+$`;
/** A project's colour, as the console and Harness send it: `#rgb` or `#rrggbb`. */
export const COLOR_PATTERN = '^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$';
/** A person's display name: not blank, at most 128 characters, no control characters (apostrophes and accents are fine). */
export const PERSON_NAME_PATTERN = `^(?=.*\\S)[^${CONTROLS}]{1,128}$`;
/** A Harness module name in a project's `modules` list (CD, CI, CF, ...). */
export const MODULE_PATTERN = '^[A-Z][A-Z0-9_]{0,63}$';

/**
 * A number in a query string (or path) as a Java server parses one — Harness's `Long.parseLong`:
 * an optional sign and decimal digits, leading zeros allowed; no blank, no hex (`0x10`), no
 * exponent (`1e1`), no fraction (`5.0`), no surrounding spaces. Ajv's coercion alone would take
 * all of those (`" "` as 0). The type's own message is kept: the text is simply not an integer.
 */
export const DECIMAL_INTEGER_PATTERN = '^[+-]?[0-9]+$';
/** The same for a `number` field, as `Double.parseDouble` reads decimals: a fraction and an exponent are fine. */
export const DECIMAL_NUMBER_PATTERN = '^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$';

/** Messages for the patterns above, looked up by pattern when a schema check fails. */
export const PATTERN_MESSAGES: Record<string, string> = {
  [IDENTIFIER_PATTERN]:
    'must start with a letter or _ and contain only letters, digits, _ and $ (at most 128 characters)',
  [NAME_PATTERN]: 'must not be blank and may contain at most 128 letters, digits, spaces and - _ . /',
  [EMAIL_PATTERN]: 'must be a valid email address',
  [COLOR_PATTERN]: 'must be a colour like #0063F7',
  [PERSON_NAME_PATTERN]: 'must not be blank, at most 128 characters, without control characters',
  [MODULE_PATTERN]: 'must be a module name in capitals, like CD or CI',
  // What Ajv says of a value that is no number at all (`pageSize=ten`): the same for any bad text.
  [DECIMAL_INTEGER_PATTERN]: 'must be integer',
  [DECIMAL_NUMBER_PATTERN]: 'must be number',
};

const identifierRe = new RegExp(IDENTIFIER_PATTERN);
const nameRe = new RegExp(NAME_PATTERN);
const emailRe = new RegExp(EMAIL_PATTERN);
const reserved = new Set<string>(RESERVED_IDENTIFIERS);

/** Returns a message when the identifier is not acceptable, else null. */
export function identifierProblem(value: string): string | null {
  if (!identifierRe.test(value)) return PATTERN_MESSAGES[IDENTIFIER_PATTERN];
  if (reserved.has(value)) return `${value} is a reserved word and cannot be used as an identifier`;
  return null;
}

export function nameProblem(value: string): string | null {
  return nameRe.test(value) ? null : PATTERN_MESSAGES[NAME_PATTERN];
}

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && emailRe.test(value);
}

/**
 * The name of an API key made on the way by a token's creation: `<identifier>_auto`, with what the
 * name rule does not take in an identifier (`$`) made `_`, and cut to 128 characters, so that the key
 * can be saved back as it is read.
 */
export function autoApiKeyName(identifier: string): string {
  const suffix = '_auto';
  return identifier.replaceAll('$', '_').slice(0, 128 - suffix.length) + suffix;
}
