import { describe, expect, it } from 'vitest';
import { analyseAnswers, analyseText, sentimentLabel } from './text-analysis.js';

describe('free-text analysis', () => {
  it('a complaint reads negative, with its themes', () => {
    const a = analyseText('Nobody called me back and the fees were outrageous. Terrible service.');
    expect(sentimentLabel(a.sentiment)).toBe('negative');
    expect(a.themes).toEqual(expect.arrayContaining(['fee', 'service']));
    expect(a.keyPhrases).toContain('terrible service');
  });

  it('praise reads positive', () => {
    const a = analyseText('The adviser was very helpful and kind, great service!');
    expect(sentimentLabel(a.sentiment)).toBe('positive');
    expect(a.themes).toEqual(expect.arrayContaining(['adviser', 'service']));
  });

  it('a plain statement of fact reads neutral and keeps compound nouns together', () => {
    const a = analyseText('I waited three weeks for my card replacement.');
    expect(sentimentLabel(a.sentiment)).toBe('neutral');
    expect(a.themes).toContain('card replacement');
  });

  it('joins several answers: search text, mean sentiment, themes once each; empty answers are ignored', () => {
    const all = analyseAnswers({ why: 'Terrible service.', more: 'Great service!', blank: '  ' });
    expect(all.verbatim).toBe('Terrible service.\n\nGreat service!');
    expect(Object.keys(all.textAnalysis!)).toEqual(['why', 'more']);
    expect(all.themes).toEqual(['service']);
    expect(all.sentiment).toBeCloseTo((all.textAnalysis!.why.sentiment + all.textAnalysis!.more.sentiment) / 2, 3);
    expect(analyseAnswers({})).toEqual({ verbatim: null, sentiment: null, themes: null, textAnalysis: {} });
  });
});
