// The console's colours (web/src/app/readableColors.ts): every colour's filled, light, outline and
// text variables read at WCAG AA on white and on the colour's own light tint.
import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { AA_CONTRAST, contrast, over, readableColorVariables, readableShade } from '../../web/src/app/readableColors.js';

const onWhite = (color: string) => contrast(color, '#ffffff') >= AA_CONTRAST;

describe('readable colours', () => {
  it('measures contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrast('#228be6', '#ffffff')).toBeCloseTo(3.56, 2); // Mantine's blue-6, which fails
    expect(over('#000000', 0.1)).toBe('#e6e6e6');
    expect(over('#000000', 0.5, '#f1f3f5')).toBe('#797a7b');
  });

  it('keeps a shade that already reads, and darkens one that never does', () => {
    expect(readableShade(DEFAULT_THEME.colors.blue, onWhite)).toBe(DEFAULT_THEME.colors.blue[8]);
    expect(readableShade(DEFAULT_THEME.colors.gray, onWhite)).toBe(DEFAULT_THEME.colors.gray[7]);
    const orange = readableShade(DEFAULT_THEME.colors.orange, onWhite);
    expect(DEFAULT_THEME.colors.orange).not.toContain(orange);
    expect(contrast(orange, '#ffffff')).toBeGreaterThanOrEqual(AA_CONTRAST);
  });

  it('gives every colour of the theme variables that read on white and on their own tint', () => {
    const theme = mergeMantineTheme(DEFAULT_THEME, { primaryColor: 'blue' });
    const variables = readableColorVariables(theme);
    const names = Object.keys(theme.colors).filter((name) => name !== 'dark');
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const filled = variables[`--mantine-color-${name}-filled`];
      const tinted = variables[`--mantine-color-${name}-light-color`];
      expect(filled, name).toMatch(/^#[0-9a-f]{6}$/);
      expect(variables[`--mantine-color-${name}-text`], name).toBe(filled);
      expect(variables[`--mantine-color-${name}-outline`], name).toBe(tinted);
      // White on filled backgrounds, coloured text on white and on a highlighted row, the hover darker still.
      expect(contrast(filled, '#ffffff'), name).toBeGreaterThanOrEqual(AA_CONTRAST);
      expect(contrast(filled, '#f1f3f5'), name).toBeGreaterThanOrEqual(AA_CONTRAST);
      expect(contrast(variables[`--mantine-color-${name}-filled-hover`], '#ffffff'), name).toBeGreaterThan(contrast(filled, '#ffffff'));
      // Light badges and alerts: their colour on their own tint, on white and on a highlighted row.
      expect(contrast(tinted, over(tinted, 0.1)), name).toBeGreaterThanOrEqual(AA_CONTRAST);
      expect(contrast(tinted, over(tinted, 0.1, '#f1f3f5')), name).toBeGreaterThanOrEqual(AA_CONTRAST);
      const [r, g, b] = tinted.slice(1).match(/../g)!.map((hex) => parseInt(hex, 16));
      expect(variables[`--mantine-color-${name}-light`], name).toBe(`rgba(${r}, ${g}, ${b}, 0.1)`);
    }
    expect(variables['--mantine-color-anchor']).toBe('var(--mantine-color-blue-text)');
  });
});
