/**
 * The password policy (NIST SP 800-63B): long enough, not a known common password or a trivial
 * variation of one, not built from the user's own e-mail. No composition rules (they do not help).
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** Words at the root of the most common leaked passwords; with digits or symbols around them they stay weak. */
const weakRoots = new Set([
  'password', 'passw0rd', 'p@ssword', 'p@ssw0rd', 'pass', 'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbn', 'zxcvbnm', 'azerty',
  'letmein', 'welcome', 'admin', 'administrator', 'iloveyou', 'monkey', 'dragon', 'football', 'baseball', 'soccer', 'hockey',
  'sunshine', 'princess', 'trustno', 'changeme', 'secret', 'master', 'login', 'abc', 'abcdef', 'abcdefgh', 'starwars', 'superman',
  'batman', 'shadow', 'michael', 'jennifer', 'jordan', 'hunter', 'killer', 'charlie', 'freedom', 'whatever', 'computer', 'internet',
  'summer', 'winter', 'spring', 'autumn', 'default', 'guest', 'test', 'tester', 'testing', 'root', 'toor', 'user', 'access',
  'hello', 'helloworld', 'lovely', 'flower', 'purple', 'orange', 'banana', 'chocolate', 'cookie', 'pokemon', 'minecraft',
  'samsung', 'google', 'microsoft', 'apple', 'facebook', 'trustdesk', 'bank', 'banking', 'money', 'company', 'office',
]);

/** Long passwords that leak lists show over and over. */
const commonLong = new Set([
  '123456789012', '1234567890123', '12345678901234', '123123123123', '111111111111', '000000000000', '1q2w3e4r5t6y',
  '1qaz2wsx3edc', 'qazwsxedcrfv', 'q1w2e3r4t5y6', 'zaq12wsxcde3', '1q2w3e4r5t6y7u', 'qwertyuiop123', 'qwertyuiopasdfghjkl',
  'asdfghjkl123', 'abcdefghijkl', 'abcdefghijklmnop', 'abc123abc123', 'passwordpassword', 'iloveyouiloveyou', 'letmeinletmein',
  'correcthorsebatterystaple', 'mypasswordis', 'thisismypassword', 'changemenow', 'welcometothejungle', 'nopassword',
]);

export interface PasswordProblem {
  path: 'password';
  message: string;
}

/** What is wrong with a password, in words a user understands; empty when it is acceptable. */
export function passwordProblems(password: string, context: { email?: string } = {}): PasswordProblem[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`at most ${PASSWORD_MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  const compact = lower.replace(/[\s\-_.]+/g, '');
  // The root without leading/trailing digits and symbols, and with a repeated root folded: "Password2024!" → "password".
  const root = compact.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const folded = /^(.+?)\1+$/.exec(root)?.[1] ?? root;
  if (commonLong.has(compact) || weakRoots.has(root) || weakRoots.has(folded) || (root === '' && /^(.+?)\1+$/.test(compact))) {
    problems.push('not a common password or a variation of one');
  } else if (new Set(password).size < 5) {
    problems.push('more varied: at least 5 different characters');
  }
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && compact.includes(local.replace(/[\s\-_.]+/g, ''))) problems.push('not containing your e-mail address');
  return problems.map((message) => ({ path: 'password', message }));
}
