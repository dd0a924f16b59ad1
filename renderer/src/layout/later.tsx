/**
 * Panes that load after the first screen (state/first-screen.ts): each is its own chunk (a dynamic `import()`, split
 * by Vite), fetched and mounted once the log's first rows are on screen. Until then, and while its chunk loads, the
 * pane's place holds a labelled placeholder of the same size ("loading after the log"), so the layout does not
 * move when it arrives. Every pane made here starts loading at once when the first screen is drawn, in parallel.
 */
import { Component, lazy, Suspense, useRef, type ComponentType, type ReactNode } from 'react';
import { useFirstScreenDrawn, whenFirstScreenDrawn } from '../state/first-screen';
import { createStore, useStore } from '../state/store';

export interface LaterOptions {
  /** The pane's title in its placeholder; null: the place stays empty until the pane is there. */
  title: string | null;
  /** Draw the placeholder as a whole pane (a bar with the title) or as a note inside a pane that has its bar. */
  bar?: boolean;
  /** The placeholder's body instead of the note (the pane's own size: the timeline). */
  body?: ReactNode;
}

const loads: (() => Promise<unknown>)[] = [];
let loading = false;
/** Every pane's chunk is in (or failed: its pane says so): the page may announce itself ready (App.tsx). */
const chunks = createStore<{ loaded: boolean }>({ loaded: false });
function loadAll(): void {
  if (loading) return;
  loading = true;
  // a chunk that fails is reported by its pane (LoadFailed, below)
  void Promise.allSettled(loads.map((l) => l())).then(() => chunks.set({ loaded: true }));
}
void whenFirstScreenDrawn().then(loadAll);
export const useLaterPanesLoaded = (): boolean => useStore(chunks, (s) => s.loaded);
export const laterPanesLoaded = (): boolean => chunks.get().loaded;

/** What a pane not loaded yet says in its place. */
export const laterNote = (title: string) => `Loading ${title.toLowerCase()}… (the log is drawn first)`;

/** The placeholder of a pane that is not loaded yet (`data-later` names it: tests wait for it to go). */
export function PaneLoading({ title, bar = true, body }: { title: string; bar?: boolean; body?: ReactNode }): ReactNode {
  const note = body ?? (
    <p className="pane-later-note" role="status">
      {laterNote(title)}
    </p>
  );
  if (!bar) return <div className="pane-later bare" data-later={title}>{note}</div>;
  return (
    <section className="pane pane-later" aria-label={`${title} (loading)`} aria-busy="true" data-later={title}>
      {!body && (
        <div className="pane-bar">
          <h2>{title}</h2>
        </div>
      )}
      {note}
    </section>
  );
}

/** A pane loaded after the first screen: `load` gives its component (from a dynamic import). */
export function later<P extends object>(load: () => Promise<ComponentType<P>>, opts: LaterOptions): ComponentType<P> {
  let asked: Promise<ComponentType<P>> | null = null;
  // Once loaded, the component itself: a pane mounted later (a tab opened) shows no placeholder at all.
  let loaded: ComponentType<P> | null = null;
  const get = () =>
    (asked ??= load().then((c) => {
      loaded = c;
      return c;
    }));
  loads.push(get);
  if (loading) void get().catch(() => {});
  const Pane = lazy(async () => ({ default: await get() }));
  const placeholder = opts.title === null ? null : <PaneLoading title={opts.title} bar={opts.bar} body={opts.body} />;
  function Later(props: P) {
    const drawn = useFirstScreenDrawn();
    // Chosen once per mount (switching would mount the pane again and lose its state): the component itself when
    // its chunk is already there (a tab opened later: no placeholder at all), else the lazy one.
    const which = useRef<ComponentType<P> | null>(null);
    if (!drawn) return placeholder;
    which.current ??= loaded ?? Pane;
    const It = which.current;
    return (
      <LoadFailed title={opts.title}>
        <Suspense fallback={placeholder}>
          <It {...props} />
        </Suspense>
      </LoadFailed>
    );
  }
  return Later;
}

/** A pane whose chunk could not be loaded says so in its place; the rest of the page stays. */
class LoadFailed extends Component<{ title: string | null; children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <p className="error-line" role="alert">
        {this.props.title ?? 'A pane'} could not be loaded ({this.state.error}); reload the page to try again.
      </p>
    );
  }
}
