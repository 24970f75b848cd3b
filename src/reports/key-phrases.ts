import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** Loaded once per process (about 1 s); the job is the only caller on the hot path. */
let nlp: ReturnType<typeof winkNLP> | undefined;
function reader() {
  nlp ??= winkNLP(model);
  return nlp;
}

/**
 * Words that appear in nearly every complaint and name no theme. Redaction marks (XXXX) of the
 * CFPB narratives and the words a customer uses about the firm itself carry no topic either.
 */
const GENERIC = new Set([
  'bank', 'company', 'customer', 'complaint', 'time', 'day', 'month', 'year', 'week', 'call', 'phone', 'letter', 'email',
  'information', 'issue', 'problem', 'thing', 'lot', 'way', 'people', 'person', 'service', 'today', 'date', 'number',
  'help', 'name', 'address', 'response', 'request', 'question', 'something', 'anything', 'nothing', 'one', 'someone',
  'representative', 'rep', 'agent', 'manager', 'supervisor', 'department', 'office', 'branch', 'mail', 'state', 'attorney',
]);

// Token arrays of wink can differ in length on odd input (emoji, markup): anything not a plain word is skipped.
const isWord = (s: unknown): s is string => typeof s === 'string' && /^[a-z][a-z'-]{2,}$/.test(s) && !/^x+$/.test(s);

/**
 * Key phrases of one text: noun phrases of two words (adjective or noun + noun: "overdraft fee",
 * "late payment") and single nouns, ranked by how often they occur, at most `max`. Nouns are
 * lemmatised ("fees" → "fee") so that one theme is one phrase.
 */
export function extractKeyPhrases(text: string, max = 6): string[] {
  const engine = reader();
  const its = engine.its;
  const doc = engine.readDoc(text.slice(0, 20_000));
  const pos = doc.tokens().out(its.pos) as string[];
  const normal = doc.tokens().out(its.normal as never) as string[];
  const lemma = doc.tokens().out(its.lemma as never) as string[];
  const stop = doc.tokens().out(its.stopWordFlag) as unknown as boolean[];
  const counts = new Map<string, number>();
  const add = (phrase: string, weight: number) => counts.set(phrase, (counts.get(phrase) ?? 0) + weight);
  for (let i = 0; i < pos.length; i++) {
    if (pos[i] !== 'NOUN' || stop[i] || !isWord(lemma[i]) || GENERIC.has(lemma[i])) continue;
    const prev = i - 1;
    if (prev >= 0 && (pos[prev] === 'NOUN' || pos[prev] === 'ADJ') && !stop[prev] && isWord(normal[prev]) && !GENERIC.has(normal[prev])) {
      add(`${normal[prev]} ${lemma[i]}`, 2); // a two-word phrase says more than its head alone
    }
    add(lemma[i], 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, max).map(([p]) => p);
}
