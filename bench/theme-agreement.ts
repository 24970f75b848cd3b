/**
 * How well do the complaint themes (the key phrases the rollup job stores per case) agree with the
 * CFPB's own labels? Reads the real narratives of ../shared/data/cfpb-complaints-sample.csv,
 * extracts key phrases exactly as at intake (src/reports/key-phrases.ts), assigns each complaint
 * to one theme — its highest-ranked phrase among the corpus's frequent phrases (document frequency
 * ≥ MIN_DF) — and compares that partition with the Product and Issue labels:
 * purity, normalised mutual information (NMI, arithmetic normalisation) and the adjusted Rand
 * index (ARI, Hubert & Arabie 1985), each beside the same figure for a random shuffle of the
 * themes (same cluster sizes), so chance agreement is visible.
 *
 *   npx tsx bench/theme-agreement.ts [path/to/cfpb.csv]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { extractKeyPhrases } from '../src/reports/key-phrases.js';

const MIN_DF = 15;
const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.resolve(here, '../../shared/data/cfpb-complaints-sample.csv');
const rows = parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true }) as Record<string, string>[];

const phrases = rows.map((r) => extractKeyPhrases(r['Consumer complaint narrative']));
const df = new Map<string, number>();
for (const list of phrases) for (const p of new Set(list)) df.set(p, (df.get(p) ?? 0) + 1);
const themes = new Set([...df].filter(([, n]) => n >= MIN_DF).map(([p]) => p));
// A two-word phrase names a theme better than a single noun ("credit report" rather than "credit"): it is preferred.
const assigned = phrases.map((list) => list.find((p) => themes.has(p) && p.includes(' ')) ?? list.find((p) => themes.has(p)) ?? '(no theme)');

function contingency(a: string[], b: string[]) {
  const table = new Map<string, Map<string, number>>();
  for (let i = 0; i < a.length; i++) {
    const row = table.get(a[i]) ?? new Map<string, number>();
    row.set(b[i], (row.get(b[i]) ?? 0) + 1);
    table.set(a[i], row);
  }
  return table;
}
const choose2 = (n: number) => (n * (n - 1)) / 2;

function purity(clusters: string[], labels: string[]) {
  let hit = 0;
  for (const row of contingency(clusters, labels).values()) hit += Math.max(...row.values());
  return hit / clusters.length;
}

function ari(clusters: string[], labels: string[]) {
  const n = clusters.length;
  const table = contingency(clusters, labels);
  let index = 0;
  const colSums = new Map<string, number>();
  let rowTerm = 0;
  for (const row of table.values()) {
    let rowSum = 0;
    for (const [label, count] of row) { index += choose2(count); rowSum += count; colSums.set(label, (colSums.get(label) ?? 0) + count); }
    rowTerm += choose2(rowSum);
  }
  let colTerm = 0;
  for (const c of colSums.values()) colTerm += choose2(c);
  const expected = (rowTerm * colTerm) / choose2(n);
  const max = (rowTerm + colTerm) / 2;
  return (index - expected) / (max - expected);
}

function entropy(counts: Iterable<number>, n: number) {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

function nmi(clusters: string[], labels: string[]) {
  const n = clusters.length;
  const table = contingency(clusters, labels);
  const colSums = new Map<string, number>();
  const rowSums: number[] = [];
  for (const row of table.values()) {
    let s = 0;
    for (const [label, c] of row) { s += c; colSums.set(label, (colSums.get(label) ?? 0) + c); }
    rowSums.push(s);
  }
  let mi = 0;
  let r = 0;
  for (const row of table.values()) {
    for (const [label, c] of row) mi += (c / n) * Math.log((n * c) / (rowSums[r] * colSums.get(label)!));
    r++;
  }
  const denominator = (entropy(rowSums, n) + entropy(colSums.values(), n)) / 2;
  return denominator === 0 ? 0 : mi / denominator;
}

/** A seeded shuffle, so the chance baseline is the same on every run. */
function shuffled<T>(xs: T[], seed = 42): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const random = shuffled(assigned);
const covered = assigned.filter((a) => a !== '(no theme)').length;
console.log(`${rows.length} narratives; ${themes.size} themes (phrases in ≥ ${MIN_DF} complaints); ${covered} complaints (${((100 * covered) / rows.length).toFixed(1)} %) have one`);
for (const label of ['Product', 'Issue'] as const) {
  const labels = rows.map((r) => r[label]);
  const distinct = new Set(labels).size;
  console.log(`vs ${label} (${distinct} labels): purity ${purity(assigned, labels).toFixed(3)} (shuffled ${purity(random, labels).toFixed(3)}), NMI ${nmi(assigned, labels).toFixed(3)} (shuffled ${nmi(random, labels).toFixed(3)}), ARI ${ari(assigned, labels).toFixed(3)} (shuffled ${ari(random, labels).toFixed(3)})`);
}
const biggest = [...contingency(assigned, rows.map((r) => r.Issue))].map(([theme, row]) => ({ theme, n: [...row.values()].reduce((a, b) => a + b, 0), top: [...row].sort((a, b) => b[1] - a[1])[0] }))
  .sort((a, b) => b.n - a.n).slice(0, 12);
console.log('largest themes → their most common Issue:');
for (const b of biggest) console.log(`  ${b.theme.padEnd(28)} ${String(b.n).padStart(4)}  ${b.top[0]} (${((100 * b.top[1]) / b.n).toFixed(0)} %)`);
