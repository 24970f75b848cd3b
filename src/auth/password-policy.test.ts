import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password-policy.js';

const messages = (p: string, email?: string) => passwordProblems(p, { email }).map((x) => x.message);

describe('password policy', () => {
  it('accepts long, uncommon passphrases', () => {
    for (const ok of ['correct-horse-battery', 'a-strong-password', 'Tea at 4 in Leeds!', 'x'.repeat(4) + 'yz-plum-07']) expect(messages(ok), ok).toEqual([]);
  });

  it('refuses short, common and trivial passwords, each with the reason', () => {
    expect(messages('short')).toContain('at least 12 characters');
    for (const common of ['password1234', 'Password2024!', 'passwordpassword', 'P@ssw0rd12345', '123456789012', 'qwertyuiop123', 'iloveyou!!!!', '1q2w3e4r5t6y', '!!!!!!!!!!!!']) {
      expect(messages(common), common).toContain('not a common password or a variation of one');
    }
    expect(messages('aaaaabbbbbbbb')).toContain('more varied: at least 5 different characters');
  });

  it('refuses a password built from the e-mail', () => {
    expect(messages('jane.smith-2026', 'jane.smith@bank.example')).toContain('not containing your e-mail address');
  });
});
