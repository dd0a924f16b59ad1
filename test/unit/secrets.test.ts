/** shared/secrets.ts: the token formats found and masked; near misses left alone; masking deep values. */
import { describe, expect, it } from 'vitest';
import { findSecrets, maskDeep, maskSecrets } from '../../shared/secrets';

const GH = `ghp_${'aB3'.repeat(12)}`;
const FINE = `github_pat_${'A'.repeat(22)}_${'b'.repeat(59)}`;

describe('secrets', () => {
  it.each([
    ['github-token', `token ${GH} here`],
    ['github-pat-fine', FINE],
    ['aws-access-key', 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE'],
    ['slack-token', 'xoxb-1234567890-abcdefghij'],
    ['npm-token', `//registry/:_authToken=npm_${'x'.repeat(36)}`],
    ['gitlab-token', 'glpat-abcdefghij0123456789'],
    ['google-api-key', `AIza${'S'.repeat(35)}`],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['auth-header', 'Authorization: Bearer abcdef0123456789xyz'],
    ['url-password', 'git clone https://user:hunter2secret@git.example/repo.git'],
  ])('finds and masks a %s', (id, text) => {
    const hits = findSecrets(text);
    expect(hits.map((h) => h.format.id)).toEqual([id]);
    const masked = maskSecrets(text);
    expect(masked).toContain(`[masked ${id}]`);
    expect(masked).not.toContain(text.slice(hits[0]!.start, hits[0]!.end));
  });

  it.each([
    ['masked by GitHub', 'AUTHORIZATION: basic ***'],
    ['too short', 'see ghp_short and AKIA123'],
    ['a sha256', 'e707123be5b70858e31cca38f5d766c457d8973177362565b34311016c91cd26'],
    ['a URL without password', 'https://github.com/acme/web@main'],
    ['an npm spec', 'evil-pkg@2.4.1 postinstall'],
  ])('leaves alone: %s', (_why, text) => {
    expect(findSecrets(text)).toEqual([]);
    expect(maskSecrets(text)).toBe(text);
  });

  it('masks every string of a value, keeps the rest as it is', () => {
    const v = { a: [`x ${GH}`, 1, null], b: { c: 'plain' }, n: 5 };
    const m = maskDeep(v);
    expect(m.a[0]).toBe('x ghp_…[masked github-token]');
    expect(m.b).toBe(v.b);
    expect(m.n).toBe(5);
    expect(maskDeep('plain')).toBe('plain');
  });
});
