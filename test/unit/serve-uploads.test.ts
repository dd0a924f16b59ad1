import { describe, expect, it } from 'vitest';
import { safeRelativeName } from '../../electron/serve/uploads';

describe('upload names', () => {
  it('keeps each part within 200 bytes of UTF-8, cut on a character boundary', () => {
    const long = 'é'.repeat(150) + '.txt'; // 304 bytes
    const out = safeRelativeName(`logs/${long}`);
    const [dir, file] = out.split('/');
    expect(dir).toBe('logs');
    expect(Buffer.byteLength(file!, 'utf8')).toBeLessThanOrEqual(200);
    expect(file).toBe('é'.repeat(100));
    expect(safeRelativeName('😅'.repeat(60))).toBe('😅'.repeat(50)); // 4-byte characters: 50 fit exactly
  });

  it('drops traversal and control characters, and refuses an empty name', () => {
    expect(safeRelativeName('../../etc/\u0000passwd')).toBe('etc/passwd');
    expect(safeRelativeName('C:\\evidence\\bundle.zip')).toBe('C:/evidence/bundle.zip');
    expect(() => safeRelativeName('../..')).toThrow(/bad upload file name/);
  });
});
