import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  openPage,
  paneOutput,
  shotDir,
  startHarness,
  stopHarness,
  waitStep,
} from './browser.js';

let h: Harness | undefined;
let errors: string[] = [];
const pages: Page[] = [];

const open = async (width = 1280, height = 800, hash = ''): Promise<Page> => {
  const page = await openPage(h!, errors, width, height, hash);
  pages.push(page);
  return page;
};
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: true });
const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1) ?? '';
const currentStep = (page: Page) => page.evaluate(() => Number(document.body.dataset.step ?? 0));

/** Steps forward until the highlighted line is `line`; returns the step. */
async function stepToLine(page: Page, line: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const before = await currentStep(page);
    await page.click('#forward');
    await page.waitForFunction((b) => Number(document.body.dataset.step ?? 0) !== b, before);
    const current = await page.locator('.cm-step-line').count();
    if (current === 1) {
      const text = await page.evaluate(() => {
        const el = document.querySelector('.cm-step-line');
        const lines = [...document.querySelectorAll('.cm-content .cm-line')];
        return lines.indexOf(el as Element) + 1;
      });
      if (text === line) return currentStep(page);
    }
  }
  throw new Error(`never reached line ${line}`);
}

beforeAll(async () => {
  h = await startHarness();
});

afterEach(async () => {
  for (const p of pages.splice(0)) await p.close();
  const seen = errors;
  errors = [];
  expect(seen, 'console errors').toEqual([]);
});

afterAll(async () => {
  await stopHarness(h);
});

describe('the playground in Chromium', () => {
  it('loads quickly with the seed example in the editor', async () => {
    const page = await h!.browser.newPage({ viewport: { width: 1280, height: 800 } });
    pages.push(page);
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const t0 = Date.now();
    await page.goto(h!.url);
    await page.waitForSelector('.cm-content');
    await page.waitForSelector('.pane[data-collector="marksweep"]');
    const loadMs = Date.now() - t0;
    const nav = await page.evaluate(() => {
      const e = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return Math.round(e.loadEventEnd - e.startTime);
    });
    console.log(`[playground] load: ${loadMs} ms to an interactive editor (navigation load event ${nav} ms)`);
    expect((await page.locator('.cm-content').textContent()) ?? '').toContain('weakref.ref(my_object)');
  });

  it('reads the weakref dead under refcount and alive under mark-sweep, at the right step', async () => {
    const page = await open();
    // Line 30 is the last print, after `my_object = None`: the heap before it runs.
    const step = await stepToLine(page, 30);
    const rc = page.locator('.pane[data-collector="refcount"] g.obj:not(.leaving)[aria-label^="elephant"]');
    const ms = page.locator('.pane[data-collector="marksweep"] g.obj[aria-label^="elephant"]');
    expect(await rc.count()).toBe(0);
    expect(await ms.count()).toBe(1);
    expect(await ms.getAttribute('aria-label')).toContain('unreachable');
    await shot(page, 'seed-before-last-print');
    await page.click('#forward');
    await waitStep(page, step + 1);
    expect(lastLine(await paneOutput(page, 'refcount'))).toMatch(
      /^my_object2 weak reference: <weakref at 0x[0-9a-f]+; dead>$/,
    );
    expect(lastLine(await paneOutput(page, 'marksweep'))).toMatch(/; to 'elephant' at 0x[0-9a-f]+>$/);
    // Explain: the elephant under mark-sweep is alive but unreachable.
    await page.locator('.pane[data-collector="marksweep"] g.obj[aria-label^="elephant"]').click();
    await page.waitForSelector('.explain-head');
    expect((await page.locator('#explain').textContent()) ?? '').toContain('unreachable');
    await shot(page, 'seed-end-explain');
  });

  it('frees the elephant under mark-sweep at the next collection', async () => {
    const page = await open();
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nimport gc\ngc.collect()\nprint("after collect:", my_object2)\n');
    await page.click('#run');
    await page.waitForFunction(() => document.querySelector('#timeline svg') !== null);
    expect(lastLine(await paneOutput(page, 'marksweep'))).toMatch(
      /^after collect: <weakref at 0x[0-9a-f]+; dead>$/,
    );
    // The explicit collection, then the runtime's at exit.
    expect(await page.locator('.timeline-chart .gc.s1').count()).toBe(2);
    await shot(page, 'seed-collect-timeline');
  });

  it('plays the phases of a collection', async () => {
    const page = await open();
    await page.selectOption('#example', 'cycle');
    const step = await stepToLine(page, 14);
    const before = page.locator('.pane[data-collector="marksweep"] g.obj[aria-label^="Node"]');
    expect(await before.count()).toBe(2);
    expect(await before.first().getAttribute('aria-label')).toContain('unreachable');
    await page.click('#forward');
    await page.waitForSelector('.pane[data-collector="marksweep"] .phase-label');
    expect(
      (await page.locator('.pane[data-collector="marksweep"] .phase-label').textContent()) ?? '',
    ).toMatch(/collection #\d+: (mark|weakrefs|finalize|remark|sweep)/);
    await shot(page, 'cycle-collection-phase');
    await waitStep(page, step + 1);
    await page.waitForFunction(
      () => !document.querySelector('.pane[data-collector="marksweep"] .phase-label'),
    );
    expect(
      await page.locator('.pane[data-collector="marksweep"] g.obj:not(.leaving)[aria-label^="Node"]').count(),
    ).toBe(0);
    expect(await page.locator('.pane[data-collector="refcount"] g.obj[aria-label^="Node"]').count()).toBe(2);
    expect(lastLine(await paneOutput(page, 'marksweep'))).toMatch(/^collected: \d+$/);
  });

  it('runs a built-in workload with three collectors side by side', async () => {
    const page = await open();
    await page.selectOption('#collector-2', 'generational');
    await page.selectOption('#example', 'workload-rings');
    await page.click('#run');
    await page.waitForFunction(() => document.querySelectorAll('.timeline-chart .series').length === 3);
    for (const c of ['refcount', 'marksweep', 'generational']) {
      expect(lastLine(await paneOutput(page, c))).toMatch(/^rings: \d+ operations; ringObjects=\d+$/);
    }
    expect(
      await page.locator('.pane[data-collector="generational"] g.obj[aria-label*="gen "]').count(),
    ).toBeGreaterThan(0);
    await shot(page, 'workload-three-panes');
  });

  it('stops a runaway program and shows errors at their line', async () => {
    const page = await open();
    await page.selectOption('#example', 'runaway');
    await page.click('#run');
    await page.waitForFunction(() => /stopped/.test(document.getElementById('status')?.textContent ?? ''));
    await page.click('.cm-content');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('x = 1\nprint(y)\n');
    await page.click('#run');
    await page.waitForSelector('.cm-error-line');
    expect((await page.locator('#status').textContent()) ?? '').toContain(
      "NameError: name 'y' is not defined (line 2",
    );
    await shot(page, 'error-line');
  });

  it('shares the program and collectors through the URL', async () => {
    const page = await open();
    await page.selectOption('#example', 'cycle');
    await page.selectOption('#collector-1', '');
    await page.click('#share');
    await page.waitForFunction(() => location.hash.startsWith('#s='));
    const hash = await page.evaluate(() => location.hash);
    const again = await open(1280, 800, hash);
    expect((await again.locator('.cm-content').textContent()) ?? '').toContain(
      'Two objects that refer to each other',
    );
    expect(await again.locator('.pane').count()).toBe(1);
    const junk = await open(1280, 800, '#s=%%%not-base64');
    expect((await junk.locator('.cm-content').textContent()) ?? '').toContain('weakref.ref(my_object)');
  });

  it('steps a 200-object program smoothly and summarises a large heap', async () => {
    const page = await open();
    await page.selectOption('#example', 'many');
    await page.click('#run');
    await page.waitForFunction(() => document.querySelector('#timeline svg') !== null);
    await page.click('#reset');
    await waitStep(page, 1);
    // Line 12 is the print after the loop: 200 nodes are alive.
    const target = await page.evaluate(() => {
      const app = (
        window as unknown as { heaplab: { stepOfLine(l: number): number; goTo(n: number): Promise<void> } }
      ).heaplab;
      const step = app.stepOfLine(12);
      void app.goTo(step);
      return step;
    });
    const steps = await waitStep(page, target);
    await page.evaluate(() => {
      (window as unknown as { longest: number }).longest = 0;
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) {
          const w = window as unknown as { longest: number };
          w.longest = Math.max(w.longest, e.duration);
        }
      }).observe({ type: 'longtask', buffered: false });
    });
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t0 = Date.now();
      const before = await currentStep(page);
      await page.click('#back');
      await page.waitForFunction((b) => Number(document.body.dataset.step) === b - 1, before);
      times.push(Date.now() - t0);
    }
    const longest = await page.evaluate(() => (window as unknown as { longest: number }).longest);
    const objects = await page.locator('.pane[data-collector="refcount"] g.obj').count();
    times.sort((a, b) => a - b);
    console.log(
      `[playground] stepping back through a ${objects}-object heap (from statement ${steps}): median ${times[6]} ms, max ${times[11]} ms per step; longest main-thread task ${Math.round(longest)} ms`,
    );
    expect(objects).toBeGreaterThanOrEqual(200);
    await shot(page, 'many-objects');
    await page.evaluate(() =>
      (window as unknown as { heaplab: { load(s: string): void } }).heaplab.load(
        'class N:\n    pass\nkeep = []\nfor i in range(400):\n    keep.append(N())\nx = 1\n',
      ),
    );
    await page.click('#run');
    await page.waitForSelector('.pane .summary');
    await shot(page, 'summary-view');
  });

  it('works on a narrow screen and by keyboard', async () => {
    const page = await open(390, 844);
    await page.focus('#forward');
    await page.keyboard.press('Enter');
    await waitStep(page, 1);
    for (let k = 2; k <= 5; k++) {
      await page.keyboard.press('Alt+ArrowRight');
      await waitStep(page, k);
    }
    await page.locator('.pane g.obj').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.explain-head');
    await shot(page, 'narrow');
  });

  it('runs the same program in real CPython on demand', async () => {
    const page = await open();
    await page.click('#cpython');
    await page.waitForFunction(
      () => /ID after update/.test(document.getElementById('cpython-out')?.textContent ?? ''),
      null,
      {
        timeout: 60_000,
      },
    );
    const out = (await page.locator('#cpython-out').textContent()) ?? '';
    expect(lastLine(out)).toMatch(/^my_object2 weak reference: <weakref at 0x[0-9a-f]+; dead>$/);
    expect((await page.locator('#cpython-version').textContent()) ?? '').toMatch(/^CPython 3\.\d+/);
    await shot(page, 'cpython');
  });
});
