// The site's search: pagefind's index, searched in the browser with nothing sent anywhere, and
// results listed under the field in Russian, with the plural forms Russian needs.
'use strict';

// The form of a Russian noun for a count: [one, few, many] as in «1 страница», «2 страницы»,
// «5 страниц»; 11–14 take «many», 21 «one», 22 «few».
function pluralRu(n, forms) {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return forms[2];
  if (units === 1) return forms[0];
  if (units >= 2 && units <= 4) return forms[1];
  return forms[2];
}

// The line that says how much was found.
function resultsLine(n) {
  if (n === 0) return 'Ничего не найдено';
  const verb = pluralRu(n, ['Найдена', 'Найдено', 'Найдено']);
  return `${verb} ${n} ${pluralRu(n, ['страница', 'страницы', 'страниц'])}`;
}

// An excerpt as pagefind gives it (text with <mark>) as nodes: the text as text, the marks as
// marks, and nothing else, whatever the indexed page held.
function excerptNodes(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  const nodes = [];
  for (const node of template.content.childNodes) {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

// pagefind answers a word it does not hold with the pages holding its longest indexed prefix
// (Pagefind/pagefind#793), and with a bundle per region every region answers: «Алифанова»
// would find «Алиев» in each region without her. A page is kept when a word marked in its
// excerpt is the asked word or a form of it: Russian endings change up to three letters.
function letters(word) {
  return word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function formOf(asked, found) {
  let common = 0;
  while (common < asked.length && common < found.length && asked[common] === found[common]) common++;
  return common >= Math.min(asked.length, Math.max(4, asked.length - 3));
}

function reallyFound(page, term) {
  const asked = term.split(/\s+/).map(letters).filter((w) => w !== '');
  const marked = (page.excerpt.match(/<mark>[^<]*<\/mark>/g) || []).map((m) => letters(m.replace(/<\/?mark>/g, '')));
  return marked.some((found) => asked.some((word) => formOf(word, found)));
}

// Results whose pages are read to tell the real ones; beyond them the count is a lower bound.
const EXAMINED = 50;
const SHOWN = 20;

async function startSearch(form) {
  const input = form.querySelector('input[type="search"]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const base = form.dataset.base;
  const pagefind = await import(new URL(form.dataset.pagefind, document.baseURI).href);
  await pagefind.options({ excerptLength: 24 });
  // Each region's pages have a bundle of their own (see src/site/search.rs); one search covers all.
  for (const bundle of JSON.parse(form.dataset.bundles)) {
    await pagefind.mergeIndex(new URL(`${form.dataset.root}${bundle}/`, document.baseURI).href);
  }
  let asked = 0;
  async function run() {
    const term = input.value.trim();
    const ask = ++asked;
    if (term === '') {
      status.textContent = '';
      list.replaceChildren();
      return;
    }
    const search = await pagefind.debouncedSearch(term, {}, 200);
    if (search === null || ask !== asked) return;
    const examined = await Promise.all(search.results.slice(0, EXAMINED).map((r) => r.data()));
    if (ask !== asked) return;
    const real = examined.filter((page) => reallyFound(page, term));
    const found = real.slice(0, SHOWN);
    const more = search.results.length > EXAMINED;
    status.textContent = (more ? `Найдено более ${real.length} ${pluralRu(real.length, ['страницы', 'страниц', 'страниц'])}` : resultsLine(real.length))
      + (real.length > SHOWN ? `; показаны первые ${SHOWN}` : '');
    list.replaceChildren(...found.map((page) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = base + page.url.replace(/^\/+/, '');
      link.textContent = page.meta.title;
      const excerpt = document.createElement('p');
      excerpt.append(...excerptNodes(page.excerpt));
      item.append(link, excerpt);
      return item;
    }));
  }
  input.addEventListener('input', run);
  form.addEventListener('submit', (event) => { event.preventDefault(); run(); });
  if (input.value) run();
}

window.schoolnetSearch = { pluralRu, resultsLine, formOf };
const searchForm = document.getElementById('search-form');
if (searchForm) startSearch(searchForm);
