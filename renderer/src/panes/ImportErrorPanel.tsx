/**
 * A failed import, under the header: the whole message (wrapped, never cut off) naming the user's files rather than
 * our temporary paths, and a button to dismiss it. The header's progress chip only says "Import failed".
 */
import { dismissImport, useImport } from '../state/import';
import { cleanImportMessage } from './import-message';

/** `noCase`: on the start page, where no case is open to stay unchanged. */
export function ImportErrorPanel({ noCase = false }: { noCase?: boolean }) {
  const s = useImport((x) => x);
  if (s.state !== 'failed' || !s.error) return null;
  const what = s.kind === 'reoffset' ? 'Applying clock offsets failed' : 'The import failed';
  return (
    <section className="import-error" role="alert" aria-label="Import error">
      <div className="import-error-head">
        <strong>{what}</strong>
        <span className="dim">{s.files.length === 1 ? s.files[0] : s.files.length > 1 ? `${s.files.length} files` : ''}</span>
        <span className="spacer-flex" />
        <button type="button" onClick={() => void navigator.clipboard?.writeText(cleanImportMessage(s.error ?? '', s.files))}>
          Copy
        </button>
        <button type="button" onClick={dismissImport}>
          Dismiss
        </button>
      </div>
      <pre className="import-error-text">{cleanImportMessage(s.error, s.files)}</pre>
      <p className="dim">{noCase ? 'Nothing was imported.' : 'The case that was open is unchanged.'} Fix the input and open it again.</p>
    </section>
  );
}
