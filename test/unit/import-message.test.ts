/** Import errors as the user reads them: whole, with our temporary staging paths replaced by the picked names. */
import { describe, expect, it } from 'vitest';
import { cleanImportMessage } from '../../renderer/src/panes/import-message';

describe('cleanImportMessage', () => {
  it('replaces upload staging paths by the name the user picked, keeps the rest of the message', () => {
    const msg = 'bad zip: /tmp/runlens-upload-AbC123/run-42.zip: invalid central directory at byte 1024: the archive is cut short';
    expect(cleanImportMessage(msg, ['run-42.zip'])).toBe('bad zip: run-42.zip: invalid central directory at byte 1024: the archive is cut short');
  });
  it('names a file inside a picked folder from the folder on', () => {
    expect(cleanImportMessage('read /var/folders/x/T/upload-9/bundle/logs/1_a.txt line 3: bad UTF-8', ['bundle'])).toBe(
      'read bundle/logs/1_a.txt line 3: bad UTF-8',
    );
  });
  it('hides a partial case file path; leaves the user’s own paths alone', () => {
    expect(cleanImportMessage('cannot write /home/u/cases/x.runlens.partial-77/y: disk full', [])).toBe('cannot write y: disk full');
    expect(cleanImportMessage('not a bundle: /home/u/work/run.zip', ['run.zip'])).toBe('not a bundle: /home/u/work/run.zip');
    expect(cleanImportMessage('C:\\Users\\u\\AppData\\Local\\Temp\\runlens-upload-1\\run.zip: bad', ['run.zip'])).toBe('run.zip: bad');
  });
});
