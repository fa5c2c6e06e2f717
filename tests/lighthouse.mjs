// Lighthouse (mobile preset) on five page types of a built site, with
// Debian's Chromium. Accessibility, best practices and SEO must be 100 (they
// do not depend on the machine); performance is printed with the load average
// and checked against 95 only with LIGHTHOUSE_STRICT=1, because a shared,
// busy machine lowers it.
//
//   node tests/lighthouse.mjs public/
//
// The site is served by a small static file server in this script.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const PAGES = [
  ['home', '/'],
  ['role', '/roles/account-manager/'],
  ['comparison', '/comparisons/account-manager-vs-project-manager/'],
  ['chapter', '/courses/kto-vy-dlya-klienta/obsluga/'],
  ['search', '/search/'],
];
const DETERMINISTIC = ['accessibility', 'best-practices', 'seo'];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml',
  '.txt': 'text/plain', '.webmanifest': 'application/manifest+json',
};

function serve(root) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, path.normalize(url));
    if (!file.startsWith(path.resolve(root))) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(root, '404.html')));
      return;
    }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'max-age=3600' });
    res.end(fs.readFileSync(file));
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const root = path.resolve(process.argv[2] || 'public');
const server = await serve(root);
const base = `http://127.0.0.1:${server.address().port}`;
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const failures = [];
const rows = [];
try {
  for (const [name, url] of PAGES) {
    const result = await lighthouse(`${base}${url}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', ...DETERMINISTIC],
    });
    const { categories, audits } = result.lhr;
    const score = id => Math.round(categories[id].score * 100);
    rows.push([name, score('performance'), ...DETERMINISTIC.map(score)]);
    for (const id of DETERMINISTIC) {
      if (score(id) < 100) {
        const failed = categories[id].auditRefs
          .filter(ref => ref.weight > 0 && audits[ref.id].score !== null && audits[ref.id].score < 1)
          .map(ref => ref.id);
        failures.push(`${name} ${url}: ${id} ${score(id)} (${failed.join(', ')})`);
      }
    }
    if (process.env.LIGHTHOUSE_STRICT === '1' && score('performance') < 95) {
      failures.push(`${name} ${url}: performance ${score('performance')}`);
    }
  }
} finally {
  await chrome.kill();
  server.close();
}
console.log(`Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, load average ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`);
console.log('| Page | Performance | Accessibility | Best practices | SEO |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
if (failures.length) {
  console.error(`Lighthouse below target:\n${failures.join('\n')}`);
  process.exit(1);
}
