/**
 * Free-text answers: sentiment and key phrases with wink-nlp and its English model. Computed once
 * when an answer is submitted and stored with the response, so analytics never re-parse text.
 */
import winkNLP, { type ItemSentence, type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

const nlp = winkNLP(model);
const its = nlp.its;

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface TextAnalysis {
  /** wink-nlp's sentiment score, −1 (negative) to 1 (positive). */
  sentiment: number;
  /** Noun phrases as written, with their describing words ("terrible service"). */
  keyPhrases: string[];
  /** The same phrases reduced to their nouns' lemmas ("service"), which group across answers into themes. */
  themes: string[];
}

/** Scores within ±0.05 read as neutral: wink's lexicon gives small scores to plain statements. */
export const NEUTRAL_BAND = 0.05;

export function sentimentLabel(score: number): SentimentLabel {
  if (score < -NEUTRAL_BAND) return 'negative';
  if (score > NEUTRAL_BAND) return 'positive';
  return 'neutral';
}

const NOUNS = new Set(['NOUN', 'PROPN']);
/** Words too general to be a theme on their own. */
const STOP_THEMES = new Set(['end', 'thing', 'things', 'lot', 'time', 'way', 'bit', 'anything', 'something', 'everything', 'nothing', 'one']);

export function analyseText(text: string): TextAnalysis {
  const doc = nlp.readDoc(text);
  const sentiment = Number(doc.out(its.sentiment)) || 0;
  const keyPhrases: string[] = [];
  const themes: string[] = [];
  doc.sentences().each((sentence: ItemSentence) => {
    const tokens: { value: string; lemma: string; pos: string; stop: boolean }[] = [];
    sentence.tokens().each((t: ItemToken) => {
      tokens.push({ value: String(t.out()), lemma: String(t.out(its.lemma as never)).toLowerCase(), pos: String(t.out(its.pos)), stop: Boolean(t.out(its.stopWordFlag)) });
    });
    // A capitalised first word ("Terrible service.") is tagged a proper noun; it describes.
    if (tokens.length > 1 && tokens[0].pos === 'PROPN' && NOUNS.has(tokens[1].pos)) tokens[0].pos = 'ADJ';
    // A phrase: describing words then one or more nouns ("card replacement", "terrible service").
    for (let i = 0; i < tokens.length; i++) {
      if (!NOUNS.has(tokens[i].pos) && tokens[i].pos !== 'ADJ') continue;
      let j = i;
      while (j < tokens.length && tokens[j].pos === 'ADJ') j++;
      let k = j;
      while (k < tokens.length && NOUNS.has(tokens[k].pos) && !tokens[k].stop) k++;
      if (k === j) {
        i = j;
        continue;
      }
      const theme = tokens.slice(j, k).map((t) => t.lemma).join(' ');
      if (!STOP_THEMES.has(theme) && /[a-z]/.test(theme)) {
        keyPhrases.push(tokens.slice(i, k).map((t) => t.value).join(' ').toLowerCase());
        themes.push(theme);
      }
      i = k - 1;
    }
  });
  return { sentiment: Math.round(sentiment * 1000) / 1000, keyPhrases: [...new Set(keyPhrases)], themes: [...new Set(themes)] };
}

/**
 * Everything stored with a response: per text question its analysis, and across them the joined
 * text (for search), the mean sentiment and the themes.
 */
export function analyseAnswers(texts: Record<string, string>): { verbatim: string | null; sentiment: number | null; themes: string[] | null; textAnalysis: Record<string, TextAnalysis> } {
  const entries = Object.entries(texts).filter(([, text]) => text.trim().length > 0);
  // An empty object (not null) marks a response as analysed, so the backfill passes it by.
  if (entries.length === 0) return { verbatim: null, sentiment: null, themes: null, textAnalysis: {} };
  const perQuestion: Record<string, TextAnalysis> = {};
  for (const [id, text] of entries) perQuestion[id] = analyseText(text);
  const all = Object.values(perQuestion);
  const sentiment = all.reduce((sum, a) => sum + a.sentiment, 0) / all.length;
  return {
    verbatim: entries.map(([, text]) => text.trim()).join('\n\n'),
    sentiment: Math.round(sentiment * 1000) / 1000,
    themes: [...new Set(all.flatMap((a) => a.themes))],
    textAnalysis: perQuestion,
  };
}

/** The free-text answers of a response, by question id. */
export function textAnswers(questions: { id: string; kind: string }[], answers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(questions.filter((q) => q.kind === 'text' && typeof answers[q.id] === 'string').map((q) => [q.id, answers[q.id] as string]));
}
