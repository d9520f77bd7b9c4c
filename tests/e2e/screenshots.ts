/**
 * Screenshots of every page (tests/e2e/walk.ts) on a phone (390×844, touch) and a desktop (1280×800), light and
 * dark, from the production build on a fresh database. Run under the build lock:
 *
 *   flock /tmp/kakunin-test.lock npx tsx tests/e2e/screenshots.ts [--out /tmp/shots] [--only home,progress] [--widths 360,390,768,1280]
 *
 * A long page is shown screen by screen (name-390-dark-1.png, -2.png, …, at most 4). Prints each page's overflow.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { ensureBuild } from '../../server/cli/build-state.mjs';
import { launchBrowser, startServer } from './harness';
import { seedWalk, stops } from './walk';

const { values } = parseArgs({
  options: { out: { type: 'string', default: '/tmp/shots' }, only: { type: 'string' }, widths: { type: 'string', default: '390,1280' } },
});
const out = values.out!;
const only = values.only ? new Set(values.only.split(',')) : null;
mkdirSync(out, { recursive: true });

// Below 800 px wide: a touch phone or tablet (isMobile, hasTouch); else a desktop with a mouse.
const VIEWPORTS = values.widths!.split(',').map(Number).map((width) =>
  width < 800
    ? { label: String(width), viewport: { width, height: width < 600 ? 844 : 1024 }, isMobile: true, hasTouch: true }
    : { label: String(width), viewport: { width, height: 800 }, isMobile: false, hasTouch: false },
);
const SCHEMES = ['light', 'dark'] as const;
const MAX_SCREENS = 4;

/** The outermost elements that reach past the screen's right edge (where to look when a page overflows). */
function widest(page: Page, width: number): Promise<string[]> {
  // A string, not a function: tsx's name helpers do not exist in the page.
  return page.evaluate(`(() => {
    const past = (el) => el.getBoundingClientRect().right > ${width} + 0.5;
    return [...document.body.querySelectorAll('*')]
      .filter((el) => past(el) && !(el.parentElement && past(el.parentElement) && el.parentElement !== document.body))
      .slice(0, 8)
      .map((el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)');
  })()`);
}

await ensureBuild((m) => console.log(m));
const server = await startServer();
const browser = await launchBrowser();
try {
  const seedPage = await browser.newPage();
  const data = await seedWalk(seedPage, server.url);
  await seedPage.close();
  for (const { label, ...device } of VIEWPORTS) {
    for (const colorScheme of SCHEMES) {
      const context = await browser.newContext({ ...device, colorScheme });
      const page = await context.newPage();
      for (const stop of stops(data)) {
        if (only && !only.has(stop.name)) continue;
        await page.goto(server.url + stop.path);
        await stop.ready(page);
        await page.evaluate(() => document.fonts.ready);
        const { scrollWidth, innerWidth, height } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          height: document.documentElement.scrollHeight,
        }));
        const screens = Math.min(MAX_SCREENS, Math.ceil(height / device.viewport.height));
        // Scroll and capture the viewport: a full-page capture in Chromium drops the touch emulation (pointer: coarse).
        for (let i = 0; i < screens; i++) {
          await page.evaluate(`window.scrollTo(0, ${i * device.viewport.height})`);
          await page.screenshot({ path: path.join(out, `${stop.name}-${label}-${colorScheme}-${i + 1}.png`) });
        }
        if (stop.name === 'review' && device.viewport.width <= 720) {
          // the phone's header menu, opened
          await page.evaluate('window.scrollTo(0, 0)');
          await page.getByRole('button', { name: 'メニュー' }).click();
          await page.screenshot({ path: path.join(out, `menu-${label}-${colorScheme}.png`) });
        }
        console.log(`${stop.name} ${label} ${colorScheme}: scrollWidth ${scrollWidth} / innerWidth ${innerWidth}, ${screens} screen(s)`);
        if (scrollWidth > device.viewport.width) console.log(`  wider than the screen: ${(await widest(page, device.viewport.width)).join(', ')}`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
