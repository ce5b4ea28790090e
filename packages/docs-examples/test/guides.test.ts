import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const guides = new URL('../../../docs/guides/', import.meta.url);
const files = readdirSync(guides).filter((f) => f.endsWith('.md'));

describe('guides', () => {
  it('exist and are listed in typedoc.json', () => {
    const config = JSON.parse(readFileSync(new URL('../../../typedoc.json', import.meta.url), 'utf8'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect([...config.projectDocuments].sort()).toEqual(files.map((f) => `docs/guides/${f}`).sort());
  });

  // TypeDoc fails on a broken include too, but the site is not built by the tests: catch it here.
  it.each(files)('%s: every {@includeCode} names an existing file and region', (file) => {
    const text = readFileSync(new URL(file, guides), 'utf8');
    const includes = [...text.matchAll(/\{@includeCode ([^}#\s]+)(?:#([^}\s]+))?\}/g)];
    for (const [, path, regions] of includes) {
      const source = readFileSync(new URL(path, guides), 'utf8');
      for (const region of regions?.split(',') ?? []) {
        expect(source, `${path} has region ${region}`).toContain(`// #region ${region}\n`);
        expect(source, `${path} ends region ${region}`).toContain(`// #endregion ${region}\n`);
      }
    }
  });
});
