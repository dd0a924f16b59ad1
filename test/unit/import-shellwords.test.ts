import { describe, expect, it } from 'vitest';
import { joinShellWords, ShellWordsError, splitShellWords, splitShellWordsLenient } from '../../shared/shellwords';

describe('splitShellWords', () => {
  it('splits on runs of whitespace', () => {
    expect(splitShellWords('  curl   -sS\thttps://telemetry.example.net/v2  ')).toEqual(['curl', '-sS', 'https://telemetry.example.net/v2']);
    expect(splitShellWords('')).toEqual([]);
  });
  it('keeps single quotes literal, including backslashes and $', () => {
    expect(splitShellWords(`sh -c 'echo $HOME \\n "x"'`)).toEqual(['sh', '-c', 'echo $HOME \\n "x"']);
  });
  it('handles double quotes with their escapes', () => {
    expect(splitShellWords(`echo "a \\"b\\" \\\\ \\$x \\q"`)).toEqual(['echo', 'a "b" \\ $x \\q']);
  });
  it('joins adjacent quoted and unquoted parts into one word', () => {
    expect(splitShellWords(`--name="a b"'c d'e`)).toEqual(['--name=a bc de']);
    expect(splitShellWords(`'' ""`)).toEqual(['', '']);
  });
  it('handles backslash escapes outside quotes and line continuations', () => {
    expect(splitShellWords('a\\ b c\\\nd')).toEqual(['a b', 'cd']);
  });
  it("decodes $'…' ANSI-C quoting", () => {
    expect(splitShellWords(`printf $'a\\tb\\x41\\101\\'q'`)).toEqual(['printf', "a\tbAA'q"]);
  });
  it('throws on an unterminated quote; the lenient form keeps a best effort', () => {
    expect(() => splitShellWords(`echo 'oops`)).toThrow(ShellWordsError);
    expect(() => splitShellWords(`echo "oops`)).toThrow(/unterminated double quote/);
    const r = splitShellWordsLenient(`echo 'oops here`);
    expect(r.words).toEqual(['echo', 'oops here']);
    expect(r.error).toMatch(/unterminated single quote/);
  });
  it('round-trips through joinShellWords', () => {
    const words = ['sh', '-c', `echo "it's" > out.txt`, '', 'plain', 'a b'];
    expect(splitShellWords(joinShellWords(words))).toEqual(words);
  });
});
