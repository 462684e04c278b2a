// keysmith's version, as package.json gives it: `keysmith --version`, and the OpenAPI document's.
import { readFileSync } from 'node:fs';

export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
