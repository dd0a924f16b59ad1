/**
 * Opening a bundle from the page: the "Open bundle…" picker (several files at once, or a whole folder), a drop
 * zone over the whole window, and the progress bar with Cancel while it uploads and imports.
 */
import { useEffect, useRef, useState } from 'react';
import { appApi } from '../api';
import { useCaseId } from '../state/case';
import { isPartialState, useCaseImport } from '../state/case-import';
import { cancelImport, dismissImport, startImport, useImport } from '../state/import';

export function OpenBundleButtons() {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  useEffect(() => {
    folder.current?.setAttribute('webkitdirectory', '');
  }, []);
  const pick = (el: HTMLInputElement | null) => {
    const list = el?.files ? Array.from(el.files) : [];
    if (el) el.value = '';
    void startImport(list);
  };
  return (
    <>
      <button type="button" onClick={() => files.current?.click()}>
        Open bundle…
      </button>
      <input
        ref={files}
        type="file"
        multiple
        hidden
        aria-label="Open bundle files"
        data-testid="open-files"
        onChange={(e) => pick(e.currentTarget)}
      />
      <button type="button" onClick={() => folder.current?.click()} title="Open a bundle folder">
        Open folder…
      </button>
      <input
        ref={folder}
        type="file"
        multiple
        hidden
        aria-label="Open bundle folder"
        onChange={(e) => pick(e.currentTarget)}
      />
    </>
  );
}

export function DropZone() {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      void startImport(Array.from(e.dataTransfer?.files ?? []));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over ? (
    <div className="drop-zone" aria-hidden="true">
      <div>Drop a run bundle (folder files, .zip or .tar.gz) to import it</div>
    </div>
  ) : null;
}

const PHASE_WORDS: Record<'loading' | 'analysing', string> = {
  loading: 'loading',
  analysing: 'analysing',
};

/**
 * First screen first: the strip in the header while the page's case is still being imported — what the import is
 * doing, the log lines so far, the progress, Cancel — whether this page started the import or not.
 */
function CaseImportStrip() {
  const c = useCaseImport((x) => x);
  const files = useImport((x) => x.files);
  const ownJob = useImport((x) => (x.state === 'importing' ? x.job : null));
  if (!isPartialState(c.state)) return null;
  const pct = c.job?.fraction != null && c.state === 'loading' ? Math.round(c.job.fraction * 100) : null;
  const cancel = () => {
    if (ownJob) void cancelImport();
    else if (c.job) void appApi['import.cancel']({ job: c.job.id }).catch(() => {});
  };
  return (
    <div
      className="import-panel importing case-import-strip"
      role="status"
      aria-label="Import"
      data-import-state={c.state}
      data-lines={c.lines}
      title={[files.length ? `Importing ${files.join(', ')}` : '', c.message ?? ''].filter(Boolean).join('\n') || undefined}
    >
      <span className="import-title">Importing</span>
      <progress aria-label="Import progress" max={100} value={pct ?? undefined}>
        {pct ?? ''}
      </progress>
      <span className="import-phase">
        <strong>{PHASE_WORDS[c.state]}</strong>
        <span className="dim">
          {' '}
          · {c.lines.toLocaleString()} lines{c.calls > 0 ? `, ${c.calls.toLocaleString()} calls` : ''} so far
          {pct !== null ? ` · ${pct}%` : ''}
        </span>
      </span>
      {c.job && (
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

export function ImportProgress() {
  const s = useImport((x) => x);
  const caseId = useCaseId();
  const partial = useCaseImport((x) => x.caseId === caseId && isPartialState(x.state));
  if (partial) return <CaseImportStrip />;
  if (s.state === 'idle') return null;
  const busy = s.state === 'uploading' || s.state === 'importing';
  const pct = s.fraction !== null ? Math.round(s.fraction * 100) : null;
  return (
    <div className={`import-panel ${s.state}`} role="status" aria-label="Import">
      <span className="import-title">
        {s.kind === 'reoffset'
          ? busy
            ? 'Applying clock offsets to'
            : s.state === 'done'
              ? 'Clock offsets applied to'
              : s.state === 'cancelled'
                ? 'Clock offsets cancelled for'
                : 'Clock offsets failed for'
          : busy
            ? 'Importing'
            : s.state === 'done'
              ? 'Imported'
              : s.state === 'cancelled'
                ? 'Import cancelled'
                : 'Import failed'}{' '}
        <span className="dim">{s.files.length === 1 ? s.files[0] : `${s.files.length} files`}</span>
      </span>
      {busy && (
        <progress aria-label="Import progress" max={100} value={pct ?? undefined}>
          {pct ?? ''}
        </progress>
      )}
      <span className="dim import-phase">
        {s.state === 'failed' ? '' : s.phase}
        {pct !== null && busy ? ` ${pct}%` : ''}
      </span>
      {s.state === 'failed' && <span className="error-line">see the message below</span>}
      {s.state === 'done' && s.warnings > 0 && <span className="badge warn">{s.warnings} warnings</span>}
      {busy ? (
        <button type="button" onClick={() => void cancelImport()}>
          Cancel
        </button>
      ) : (
        <button type="button" onClick={dismissImport} aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}
