import { describe, expect, it } from 'vitest';
import { extractKeyPhrases } from './key-phrases.js';

describe('key phrases', () => {
  it('finds two-word noun phrases and lemmatised nouns, most frequent first', () => {
    const phrases = extractKeyPhrases('I was charged an overdraft fee twice on my checking account and the bank refused to refund the late fees. The overdraft fees keep coming. XXXX XX/XX/2023');
    expect(phrases[0]).toBe('overdraft fee');
    expect(phrases).toContain('checking account');
    expect(phrases).not.toContain('bank');
    expect(phrases.some((p) => p.includes('xxxx'))).toBe(false);
  });

  it('survives text that is not prose', () => {
    expect(() => extractKeyPhrases('😀😀 <b>{$100.00}</b> \u0000 ### ---')).not.toThrow();
    expect(extractKeyPhrases('')).toEqual([]);
  });
});
