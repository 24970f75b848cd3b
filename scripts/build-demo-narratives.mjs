// Bundles real complaint narratives for the demo data from the shared CFPB sample
// (public-domain US government data; see ../shared/data/README.md). Run once when the sample changes:
//   node scripts/build-demo-narratives.mjs
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';

const source = new URL('../../shared/data/cfpb-complaints-sample.csv', import.meta.url);
const target = new URL('../src/demo/data/narratives.json', import.meta.url);
const rows = parse(fs.readFileSync(source), { columns: true, bom: true });
const MAX_CHARS = 2400;
const picked = rows
  .filter((r) => r['Consumer complaint narrative'].length >= 200)
  .filter((_, i) => i % 2 === 0)
  .map((r) => ({
    product: r.Product,
    issue: r.Issue,
    subIssue: r['Sub-issue'],
    text: r['Consumer complaint narrative'].length > MAX_CHARS
      ? `${r['Consumer complaint narrative'].slice(0, MAX_CHARS).replace(/\s+\S*$/, '')} …`
      : r['Consumer complaint narrative'],
    olderCustomer: /Older American/.test(r.Tags),
    response: r['Company response to consumer'],
  }));
fs.writeFileSync(target, JSON.stringify(picked));
console.log(`${picked.length} narratives, ${(fs.statSync(target).size / 1024).toFixed(0)} KiB → ${target.pathname}`);
