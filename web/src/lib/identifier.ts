// The "Id" a name suggests, and the problems of a name, Id or description, by the rules the server
// checks (SPEC §2): the patterns and reserved words are the server's own (src/domain/validation.ts,
// which imports nothing), so the two cannot drift apart; only the wording is the console's.
import {
  EMAIL_PATTERN, IDENTIFIER_PATTERN, MAX_DESCRIPTION, NAME_PATTERN, PERSON_NAME_PATTERN, RESERVED_IDENTIFIERS,
} from '../../../src/domain/validation';

const RESERVED = new Set<string>(RESERVED_IDENTIFIERS);
const IDENTIFIER_RE = new RegExp(IDENTIFIER_PATTERN);
const NAME_RE = new RegExp(NAME_PATTERN);
const EMAIL_RE = new RegExp(EMAIL_PATTERN);
const PERSON_NAME_RE = new RegExp(PERSON_NAME_PATTERN);

export function identifierFromName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '';
  let id = trimmed.replace(/[^0-9a-zA-Z_$]+/g, '_');
  if (!/^[a-zA-Z_]/.test(id)) id = `_${id}`;
  id = id.slice(0, 128);
  return RESERVED.has(id) ? `${id}_` : id;
}

export function identifierProblem(value: string): string | null {
  if (!value) return 'Enter an Id';
  if (!IDENTIFIER_RE.test(value)) return 'Start with a letter or _, then use only letters, digits, _ and $ (at most 128)';
  if (RESERVED.has(value)) return `"${value}" is a reserved word; choose another Id`;
  return null;
}

export function nameProblem(value: string): string | null {
  if (!value.trim()) return 'Enter a name';
  if (!NAME_RE.test(value)) return 'Use at most 128 characters: English letters (A–Z, a–z, no accents), digits, spaces and - _ . /';
  return null;
}

/** What the name rule says while a name is typed: nothing for an empty one until the form is sent. */
export function typedNameProblem(value: string): string | null {
  return value.trim() ? nameProblem(value) : null;
}

/** A person's name (a user's): any printable characters, accents and apostrophes included. */
export function personNameProblem(value: string): string | null {
  if (!value.trim()) return 'Enter a name';
  if (!PERSON_NAME_RE.test(value)) return 'Use at most 128 characters, without control characters';
  return null;
}

export function descriptionProblem(value: string): string | null {
  return value.length > MAX_DESCRIPTION ? `At most ${MAX_DESCRIPTION} characters` : null;
}

/** An email the server takes (it also refuses control characters). */
export const isEmail = (value: string) => value.length <= 254 && EMAIL_RE.test(value);
