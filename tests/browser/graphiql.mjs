// GraphiQL with the network off: every request that leaves the server under test is refused,
// and GraphiQL must still load, fetch the schema and run a query. Prints "N passed, M failed".
import { chromium } from 'playwright-core';

const base = process.argv[2];
const origin = new URL(base).origin;
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
  const refused = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    refused.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const schema = page.waitForRequest((r) => r.url() === `${origin}/graphql` && (r.postData() || '').includes('__schema'));
  await page.goto(`${base}?query=${encodeURIComponent('{ regions { name } }')}`);
  await page.locator('.graphiql-container').waitFor({ timeout: 30000 });
  check('GraphiQL renders with the network off', true);
  check('GraphiQL fetches the schema from the server', (await schema.then(() => true, () => false)));
  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.result-window');
  await result.getByText('Волгоградская область').waitFor({ timeout: 30000 }).catch(() => {});
  check('a query runs and shows its result', (await result.textContent()).includes('Волгоградская область'),
    (await result.textContent()).slice(0, 200));
  check('nothing was asked of another host', refused.length === 0, refused.join(', '));
  check('no script error', errors.length === 0, errors.join('; '));
} catch (e) {
  failed++;
  console.log(`FAIL ${e.message}`);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
