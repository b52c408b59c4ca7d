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

async function startSearch(form) {
  const input = form.querySelector('input[type="search"]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const base = form.dataset.base;
  const pagefind = await import(new URL(form.dataset.pagefind, document.baseURI).href);
  await pagefind.options({ excerptLength: 24 });
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
    const found = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    if (ask !== asked) return;
    status.textContent = resultsLine(search.results.length) + (search.results.length > 20 ? '; показаны первые 20' : '');
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

window.schoolnetSearch = { pluralRu, resultsLine };
const searchForm = document.getElementById('search-form');
if (searchForm) startSearch(searchForm);
