// The "Id" a name suggests, with the same rules the server checks (SPEC §2).

const RESERVED = new Set([
  'or', 'and', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'div', 'mod', 'not', 'null', 'true', 'false', 'new',
  'var', 'return', 'step', 'parallel', 'stepGroup', 'org', 'account', 'class', 'shellScriptProvisioner',
]);
const IDENTIFIER_RE = /^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$/;
const NAME_RE = /^[A-Za-z0-9\-_. /]{1,128}$/;

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

export function descriptionProblem(value: string): string | null {
  return value.length > 1024 ? 'At most 1024 characters' : null;
}
