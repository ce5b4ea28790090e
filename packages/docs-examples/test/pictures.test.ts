import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pictures } from '../../../docs/guides/examples/pictures.js';

const dir = new URL('../../../docs/guides/pictures/', import.meta.url);

describe('guide pictures', () => {
  // Regenerate with `pnpm --filter @heaplab/docs-examples pictures`.
  it.each(Object.entries(pictures()))('docs/guides/pictures/%s.svg is up to date', (name, svg) => {
    const file = new URL(`${name}.svg`, dir);
    if (process.env.UPDATE_PICTURES) writeFileSync(file, svg);
    expect(readFileSync(file, 'utf8')).toBe(svg);
  });
});
