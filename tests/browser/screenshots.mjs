// Screenshots of the exported site for a reviewer: the home page, a municipality, a group, a
// school, the lists and the search page, each in both versions, at 1280 and 390 px, whole pages.
// Usage: node screenshots.mjs BASE_URL OUT_DIR
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [base, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const pages = ['index.html', 'irbitskoye/index.html', 'irbitskoye/group-4.html', 'kotelnikovsky/school-1.html',
  'agreements.html', 'programmes.html', 'opendata/index.html', 'search.html'];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const width of [1280, 390]) {
  const context = await browser.newContext({ viewport: { width, height: width === 390 ? 844 : 800 } });
  for (const path of pages.flatMap((p) => [p, `vi/${p}`])) {
    const page = await context.newPage();
    await page.goto(base + path);
    if (path.endsWith('search.html')) {
      await page.fill('#search-input', 'Зайковская');
      await page.locator('#search-results li').first().waitFor({ timeout: 15000 });
    }
    const file = `${out}/${width}-${path.replaceAll('/', '__').replace('.html', '')}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
    await page.close();
  }
  await context.close();
}
await browser.close();
