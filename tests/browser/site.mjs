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

  const chart = page.locator('svg.chart-wide[role="img"]');
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
    'yaysky/identification.html', 'kotelnikovsky/plans.html', 'bank/index.html', 'bank/material-3.html', 'vi/tsuntinsky/plans.html', 'labinsky/index.html', 'vi/kotelnikovsky/school-1.html'].map((path) => base + path);
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

  // A 390 px phone: no page scrolls sideways, charts are laid out for the width with labels of
  // at least 12 px (larger in the version for the visually impaired), and the home page shows
  // the headline figures in the first screen.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const chartLabels = async (p) => p.evaluate(() => [...document.querySelectorAll('svg.chart')]
    .filter((svg) => svg.getBoundingClientRect().width > 0)
    .flatMap((svg) => [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a)));
  for (const url of [...pages, base + 'agreements.html', base + 'search.html', base + 'contacts.html']) {
    const p = await phone.newPage();
    await p.goto(url);
    const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    check(`390 px: no horizontal scrolling on ${url.slice(base.length)}`, scroll <= client, `${scroll} > ${client}`);
    await p.close();
  }
  for (const [path, least] of [['kotelnikovsky/school-1.html', 12], ['vi/kotelnikovsky/school-1.html', 14]]) {
    const p = await phone.newPage();
    await p.goto(base + path);
    const sizes = await chartLabels(p);
    check(`390 px: chart labels of at least ${least} px on ${path}`, sizes.length > 0 && Math.min(...sizes) >= least, `${Math.min(...sizes)}`);
    await p.close();
  }
  const home = await phone.newPage();
  await home.goto(base + 'index.html');
  const figures = await home.locator('.card-figures').first().boundingBox();
  check('390 px: the home page shows the ШНОР figures in the first screen', figures !== null && figures.y + figures.height <= 844,
    JSON.stringify(figures));
  const cell = await home.locator('main table td').first().boundingBox();
  check('390 px: a table row is a card as wide as the screen', cell !== null && cell.width > 300, JSON.stringify(cell));
  await home.close();
  await phone.close();

  const search = await context.newPage();
  await search.goto(base + 'search.html');
  const plurals = await search.evaluate(() => [0, 1, 2, 5, 11, 21, 22, 25, 111].map((n) => window.schoolnetSearch.resultsLine(n)));
  const expected = ['Ничего не найдено', 'Найдена 1 страница', 'Найдено 2 страницы', 'Найдено 5 страниц', 'Найдено 11 страниц',
    'Найдена 21 страница', 'Найдено 22 страницы', 'Найдено 25 страниц', 'Найдено 111 страниц'];
  check('search counts in Russian plural forms', JSON.stringify(plurals) === JSON.stringify(expected), JSON.stringify(plurals));
  const forms = await search.evaluate(() => [['алифановой', 'алифанова'], ['алифанова', 'алиев'], ['сош', 'сош'], ['сош', 'со']].map(([a, f]) => window.schoolnetSearch.formOf(a, f)));
  check('a found word counts only as a form of the asked one, not a prefix of it', JSON.stringify(forms) === '[true,false,true,false]', JSON.stringify(forms));
  await search.fill('#search-input', 'Зайковская');
  const result = search.locator('#search-results a').first();
  await result.waitFor({ timeout: 15000 });
  check('offline search finds a school', (await result.textContent()).includes('Зайковская'));
  const count = await search.locator('#search-results li').count();
  const status = await search.textContent('#search-status');
  check('the status line counts the results', status.includes(` ${count} `), status);
  const excerpts = await search.locator('#search-results p').allTextContents();
  const glued = excerpts.filter((e) => /[а-яё][А-ЯЁ]/.test(e));
  check('snippets keep the words of cells apart', glued.length === 0, glued.join(' | '));
  const field = await search.locator('#search-input').boundingBox();
  const first = await search.locator('#search-results li').first().boundingBox();
  check('results sit right under the field', first.y < 700 && Math.abs(first.x - field.x) < 60, JSON.stringify([field, first]));
  const href = await result.getAttribute('href');
  const target = await context.newPage();
  const response = await target.goto(new URL(href, base + 'search.html').href);
  check('a search result opens its page', response.ok(), href);
  // Every page found for a name has that name on it.
  for (const name of ['Алифанова', 'Клименко']) {
    await search.fill('#search-input', '');
    await search.fill('#search-input', name);
    await search.locator('#search-results a').first().waitFor({ timeout: 15000 });
    const hrefs = await search.locator('#search-results a').evaluateAll((links) => links.map((a) => a.href));
    for (const url of hrefs) {
      const p = await context.newPage();
      await p.goto(url);
      check(`«${name}» is on ${url.slice(base.length)}`, (await p.textContent('main')).includes(name));
      await p.close();
    }
  }
} catch (error) {
  failed++;
  console.log(`FAIL ${error.stack || error}`);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
