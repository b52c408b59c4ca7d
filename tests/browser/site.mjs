// Real-browser checks of the exported site: navigation from the home page to a school, the
// chart and its table, axe-core accessibility (no serious or critical violations), 200% zoom
// without horizontal scrolling, keyboard focus, and offline search. Prints "N passed, M failed".
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const base = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name} ${detail}`); }
}

try {
  const context = await browser.newContext();
  const page = await context.newPage();

  await page.goto(base + 'index.html');
  check('home page is in Russian', (await page.getAttribute('html', 'lang')) === 'ru');
  await page.getByRole('link', { name: 'Ирбитское МО' }).first().click();
  check('home page leads to the municipality', page.url().endsWith('irbitskoye/index.html'), page.url());
  const municipalityUrl = page.url();
  await page.locator('main table').getByRole('link', { name: 'Пьянковская ООШ', exact: true }).first().click();
  check('municipality page leads to the school', /school-\d+\.html$/.test(page.url()), page.url());
  const schoolUrl = page.url();

  const chart = page.locator('svg[role="img"]');
  check('the school page has a chart', (await chart.count()) === 1);
  check('the chart has a title', (await chart.locator('title').textContent()).includes('Пьянковская ООШ'));
  check('the chart has a description', (await chart.locator('desc').textContent()).includes('2020 год: ГК 5'));
  const table = page.locator('table', { has: page.locator('caption', { hasText: 'Группы по годам' }) });
  check('the chart sits beside its data table', (await table.count()) === 1);
  check('the table has the figures', (await table.locator('tbody tr').first().textContent()).includes('ниже среднего'));

  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => [document.activeElement.className, getComputedStyle(document.activeElement).left]);
  check('the first Tab reaches the skip link and shows it', focused[0] === 'skip' && focused[1] !== '-9999px', JSON.stringify(focused));

  const groupUrl = new URL('group-4.html', schoolUrl).href;
  const viUrl = schoolUrl.replace(/\/([a-z-]+\/school-\d+\.html)$/, '/vi/$1');
  // Pages with the monitoring tables: a school with results and charts, a municipality with its
  // results and the identification page, and Лабинский's deficits.
  const monitoring = ['kotelnikovsky/school-1.html', 'kotelnikovsky/index.html', 'kotelnikovsky/identification.html',
    'yaysky/identification.html', 'labinsky/index.html', 'vi/kotelnikovsky/school-1.html'].map((path) => base + path);
  const pages = [base + 'index.html', municipalityUrl, schoolUrl, groupUrl, viUrl, base + 'programmes.html', base + 'opendata/index.html', base + '404.html', ...monitoring];
  for (const url of pages) {
    const p = await context.newPage();
    await p.goto(url);
    const results = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    check(`axe: no serious or critical violations on ${url.slice(base.length)}`, serious.length === 0,
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`).join('; '));
    await p.close();
  }

  // 200% zoom in a 1280 px wide window leaves 640 CSS pixels.
  const zoomed = await browser.newContext({ viewport: { width: 640, height: 900 } });
  for (const url of pages) {
    const p = await zoomed.newPage();
    await p.goto(url);
    const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    check(`200% zoom: no horizontal scrolling on ${url.slice(base.length)}`, scroll <= client, `${scroll} > ${client}`);
    await p.close();
  }
  await zoomed.close();

  const search = await context.newPage();
  await search.goto(base + 'search.html');
  await search.locator('.pagefind-ui__search-input').fill('Зайковская');
  const result = search.locator('.pagefind-ui__result-link').first();
  await result.waitFor({ timeout: 15000 });
  check('offline search finds a school', (await result.textContent()).includes('Зайковская'));
  const href = await result.getAttribute('href');
  const target = await context.newPage();
  const response = await target.goto(new URL(href, base + 'search.html').href);
  check('a search result opens its page', response.ok(), href);
} catch (error) {
  failed++;
  console.log(`FAIL ${error.stack || error}`);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
