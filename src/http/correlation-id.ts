// Correlation ids for requests that bring none: UUIDs (the version 4 layout), unique rather than
// unpredictable — they name a request in answers and logs and guard nothing.
//
// Each is a random part drawn from the CSPRNG once per 100,000,000 ids (the first 28 characters:
// 90 random bits, the version and the variant) followed by a counter written in 8 decimal digits,
// which are hex digits too. `randomUUID()` on every request cost about 2,000 instructions (its 16
// bytes turned into hex one piece at a time, then the pieces joined); this costs about 200, on a
// path every request takes.
import { randomUUID } from 'node:crypto';

/** Ids per random part: every counter value has 8 decimal digits. */
const PER_RANDOM_PART = 100_000_000;

/**
 * A source of correlation ids, a new random part after every `perRandomPart` ids (at most
 * 100,000,000, the ids the counter's 8 digits can tell apart).
 */
export function correlationIds(perRandomPart = PER_RANDOM_PART): () => string {
  if (!Number.isInteger(perRandomPart) || perRandomPart < 1 || perRandomPart > PER_RANDOM_PART) {
    throw new RangeError(`perRandomPart must be an integer from 1 to ${PER_RANDOM_PART}`);
  }
  let randomPart = '';
  let counter = perRandomPart;
  return () => {
    if (counter === perRandomPart) {
      randomPart = randomUUID().slice(0, 28);
      counter = 0;
    }
    // PER_RANDOM_PART + counter has 9 digits; its first is dropped to keep 8, leading zeros included.
    return randomPart + String(PER_RANDOM_PART + counter++).slice(1);
  };
}

/** A new correlation id: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxdddddddd`, never the same twice in a process. */
export const newCorrelationId = correlationIds();

/** Printable ASCII without `"` or `\`: a string JSON writes as itself between quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * A request's correlation id as a JSON string. One keysmith made is written as it is (hex digits
 * and dashes); one the client sent (`incoming`, the X-Correlation-Id header) may hold a quote or
 * a backslash, which JSON escapes.
 */
export function correlationIdJson(correlationId: string, incoming: unknown): string {
  if (incoming === undefined || incoming !== correlationId) return `"${correlationId}"`;
  return PLAIN.test(correlationId) ? `"${correlationId}"` : JSON.stringify(correlationId);
}
