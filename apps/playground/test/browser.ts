import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** The app's folder. */
export const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where screenshots go (gitignored). */
export const shotDir = join(appDir, 'screenshots');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** `vite preview` of the built site, and Debian's Chromium driven by playwright-core. */
export interface Harness {
  readonly url: string;
  readonly browser: Browser;
  readonly server: ChildProcess;
}

/** Starts the preview server and the browser. */
export async function startHarness(): Promise<Harness> {
  mkdirSync(shotDir, { recursive: true });
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      join(appDir, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--port',
      String(port),
      '--strictPort',
      '--host',
      '127.0.0.1',
    ],
    { cwd: appDir, stdio: 'pipe' },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      if (i > 200) throw new Error('vite preview did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return { url, browser, server };
}

/** Stops what {@link startHarness} started. */
export async function stopHarness(h: Harness | undefined): Promise<void> {
  await h?.browser.close();
  h?.server.kill();
}

/** A page that records console errors and uncaught exceptions into `errors`. */
export async function openPage(
  h: Harness,
  errors: string[],
  width = 1280,
  height = 800,
  hash = '',
): Promise<Page> {
  const page = await h.browser.newPage({ viewport: { width, height } });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(h.url + hash);
  await page.waitForSelector('.cm-content');
  return page;
}

/** Waits until the page shows statement `step` (or any new step when omitted). */
export async function waitStep(page: Page, step?: number): Promise<number> {
  if (step !== undefined) {
    await page.waitForFunction((s) => document.body.dataset.step === String(s), step);
  } else {
    await page.waitForFunction(() => document.body.dataset.step !== undefined);
  }
  return Number(await page.evaluate(() => document.body.dataset.step));
}

/** The text printed under the pane of `collector`. */
export async function paneOutput(page: Page, collector: string): Promise<string> {
  return (await page.locator(`.pane[data-collector="${collector}"] .out`).textContent()) ?? '';
}
