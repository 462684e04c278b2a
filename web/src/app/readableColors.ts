// Colours that read at WCAG AA (4.5:1) in the light scheme. Mantine's defaults put a colour's shade
// 6 on filled buttons (white on blue-6 is 3.6:1), on light badges and alerts (teal-6 on its own
// tint, "Active", is 2.3:1) and on coloured text. Here each colour's variables point instead at its
// lightest shade that reads where the variant puts it, darkened further when even shade 9 does not
// (orange, green, yellow): every variant then reads, whatever colour a page asks for.
import { alpha, darken, luminance, type CSSVariablesResolver, type MantineTheme } from '@mantine/core';

export const AA_CONTRAST = 4.5;
/** The opacity of Mantine's light variant's background over the page. */
const LIGHT_TINT = 0.1;
/** The darkest page background a badge sits on: a table row under the pointer (gray-1). */
const ROW_HOVER = '#f1f3f5';

/** WCAG's contrast ratio between two opaque colours. */
export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

/** The colour `color` at `opacity` over `base` (white unless told), as an opaque hex colour. */
export function over(color: string, opacity: number, base = '#ffffff'): string {
  const channel = (i: number) => Math.round(parseInt(color.slice(i, i + 2), 16) * opacity + parseInt(base.slice(i, i + 2), 16) * (1 - opacity));
  return `#${[1, 3, 5].map((i) => channel(i).toString(16).padStart(2, '0')).join('')}`;
}

/** As text on the page (a highlighted row included), or as a background under white text. */
const onPage = (color: string) => contrast(color, '#ffffff') >= AA_CONTRAST && contrast(color, ROW_HOVER) >= AA_CONTRAST;
/** As the text of a light badge or alert, on its own tint over the page. */
const onOwnTint = (color: string) => onPage(color) && contrast(color, over(color, LIGHT_TINT, ROW_HOVER)) >= AA_CONTRAST;

function toHex(rgba: string): string {
  const [r, g, b] = rgba.match(/\d+/g)!.map(Number);
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The lightest shade of a ten-shade colour that `reads`: of shades 6 to 9, else shade 9 darkened
 * step by step until it does.
 */
export function readableShade(shades: readonly string[], reads: (color: string) => boolean): string {
  const found = shades.slice(6).find(reads);
  if (found) return found;
  let color = shades[9];
  while (!reads(color)) color = toHex(darken(color, 0.05));
  return color;
}

/**
 * The light scheme's variables of every colour of the theme but `dark`: filled backgrounds (under
 * white text) and coloured text in a shade that reads on white and on a highlighted table row (an
 * explicit shade, `c="orange.8"`, bypasses this: pages name colours only); light and outline variants (badges,
 * alerts, subtle buttons) in one that reads on its own light tint too, even over a highlighted table row.
 */
export function readableColorVariables(theme: MantineTheme): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, shades] of Object.entries(theme.colors)) {
    if (name === 'dark' || shades.length < 10) continue;
    const filled = readableShade(shades, onPage);
    const tinted = readableShade(shades, onOwnTint);
    Object.assign(variables, {
      [`--mantine-color-${name}-filled`]: filled,
      [`--mantine-color-${name}-filled-hover`]: toHex(darken(filled, 0.1)),
      [`--mantine-color-${name}-text`]: filled,
      [`--mantine-color-${name}-light`]: alpha(tinted, LIGHT_TINT),
      [`--mantine-color-${name}-light-hover`]: alpha(tinted, 0.12),
      [`--mantine-color-${name}-light-color`]: tinted,
      [`--mantine-color-${name}-outline`]: tinted,
      [`--mantine-color-${name}-outline-hover`]: alpha(tinted, 0.05),
    });
  }
  variables['--mantine-color-anchor'] = `var(--mantine-color-${theme.primaryColor}-text)`;
  return variables;
}

/** Mantine's CSS variables resolver: readable colours, and dimmed text in gray-7 (Mantine's is near 3:1). */
export const cssVariablesResolver: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: { ...readableColorVariables(theme), '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
