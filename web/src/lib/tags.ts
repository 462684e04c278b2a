// Tags are string→string maps on the wire and "key:value" chips in the console.
import type { Tags } from '../api/types';

/** One tag as it is typed and shown: "key:value", or just the key. */
export function tagChip(key: string, value: string): string {
  return value ? `${key}:${value}` : key;
}

export function tagsToChips(tags: Tags | null | undefined): string[] {
  return Object.entries(tags ?? {}).map(([k, v]) => tagChip(k, v));
}

export function chipsToTags(chips: string[]): Tags {
  const tags: Tags = {};
  for (const chip of chips) {
    const at = chip.indexOf(':');
    const key = (at < 0 ? chip : chip.slice(0, at)).trim();
    if (!key) continue;
    tags[key] = at < 0 ? '' : chip.slice(at + 1).trim();
  }
  return tags;
}
