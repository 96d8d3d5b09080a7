import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { exportAll, exportCsv, importSnapshots, type ImportReport } from '../../storage/exportImport';
import {
  compareSnapshots,
  createSnapshotStore,
  INDEX_PREFIX,
  QUARANTINE_PREFIX,
  SNAP_PREFIX,
  type ListResult,
  type Snapshot,
  type SnapshotComparison,
  type SnapshotStore,
  type SnapshotSummary,
  type StorageUsage,
} from '../../storage/snapshots';
import { formatBytes } from '../../storage/area';
import { fmtNumber } from '../format';
import { CompareView } from './CompareView';
import { downloadText } from './download';
import { ImportReportView } from './ImportReportView';
import {
  exportFileName,
  filterChoices,
  fmtSavedAt,
  hasFilters,
  NO_FILTERS,
  summaryLabel,
  toListQuery,
  type Filters,
} from './model';
import { SnapshotView } from './SnapshotView';

export interface SnapshotsAppProps {
  store?: SnapshotStore;
  now?: () => Date;
  /** Saves a text file for the trader (default: a Blob URL on an `<a download>`). */
  download?: (file: { text: string; fileName: string; mimeType: string }) => void;
  /** Refresh when storage.local changes in another tab (default true). */
  live?: boolean;
}

type Shown =
  | { kind: 'none' }
  | { kind: 'snapshot'; snapshot: Snapshot }
  | { kind: 'compare'; comparison: SnapshotComparison; labels: { from: string; to: string } };

type Notice = { tone: 'ok' | 'error'; text: string } | null;

function UsageLine({ usage }: { usage: StorageUsage | null }) {
  if (!usage) return null;
  const limited = Number.isFinite(usage.quotaBytes);
  return (
    <div class="hl-snap-usage">
      <p class="hl-muted hl-num" data-testid="storage-usage">
        Storage: {formatBytes(usage.bytesInUse)}
        {limited
          ? ` of ${formatBytes(usage.quotaBytes)} (${fmtNumber(usage.ratio * 100, 0)}%)`
          : ' used (no quota: unlimited storage)'}
        {usage.measuredBy === 'estimate' ? ' · estimated' : ''}
      </p>
      {limited && (
        <meter
          class="hl-snap-meter"
          min={0}
          max={1}
          low={0.6}
          high={0.8}
          optimum={0}
          value={Math.min(1, usage.ratio)}
          aria-label="Snapshot storage used"
        />
      )}
      {usage.warning && (
        <p class="hl-snap-warning" role="alert" data-testid="storage-warning">
          {usage.warning}
        </p>
      )}
    </div>
  );
}

function DamagedEntries({ list }: { list: ListResult | null }) {
  if (!list || (list.quarantined.length === 0 && list.skipped.length === 0)) return null;
  return (
    <section class="hl-section hl-snap-damaged" aria-label="Damaged or unreadable entries" data-testid="quarantine">
      {list.quarantined.length > 0 && (
        <>
          <h2 class="hl-h3">
            {list.quarantined.length} damaged entr{list.quarantined.length === 1 ? 'y' : 'ies'} (quarantined, not
            deleted)
          </h2>
          <ul>
            {list.quarantined.map((q) => (
              <li key={q.key} data-testid="quarantined-entry">
                <span class="hl-num">{q.originalKey}</span>: {q.reason}
                {q.quarantinedAt ? ` · since ${fmtSavedAt(q.quarantinedAt)}` : ''}
                {q.moved ? ` · kept under ${q.key}` : ' · left in place'}
              </li>
            ))}
          </ul>
          <p class="hl-muted hl-hint">Damaged entries travel with “Export JSON” as they are, so nothing is lost.</p>
        </>
      )}
      {list.skipped.length > 0 && (
        <>
          <h2 class="hl-h3">Written by a newer HedgeLens (left untouched)</h2>
          <ul>
            {list.skipped.map((s) => (
              <li key={s.key} data-testid="skipped-entry">
                <span class="hl-num">{s.key}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function FilterBar({
  filters,
  onChange,
  all,
}: {
  filters: Filters;
  /** A patch on the current filters (events may fire before the next render). */
  onChange: (patch: Partial<Filters>) => void;
  all: SnapshotSummary[];
}) {
  const { underlyings, expiries } = filterChoices(all);
  const set = onChange;
  const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  return (
    <form
      class="hl-snap-filters"
      role="search"
      aria-label="Search and filter snapshots"
      onSubmit={(e) => e.preventDefault()}
    >
      <label>
        <span class="hl-label">Search</span>
        <input
          class="hl-input"
          type="search"
          value={filters.text}
          placeholder="site, title, condor, stage, note"
          onInput={(e) => set({ text: value(e) })}
          data-testid="filter-text"
        />
      </label>
      <label>
        <span class="hl-label">Underlying</span>
        <select
          class="hl-input"
          value={filters.underlying}
          onChange={(e) => set({ underlying: value(e) })}
          data-testid="filter-underlying"
        >
          <option value="">All</option>
          {underlyings.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span class="hl-label">Expiry</span>
        <select
          class="hl-input"
          value={filters.expiry}
          onChange={(e) => set({ expiry: value(e) })}
          data-testid="filter-expiry"
        >
          <option value="">All</option>
          {expiries.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span class="hl-label">Saved from</span>
        <input
          class="hl-input"
          type="date"
          value={filters.from}
          onInput={(e) => set({ from: value(e) })}
          data-testid="filter-from"
        />
      </label>
      <label>
        <span class="hl-label">to</span>
        <input
          class="hl-input"
          type="date"
          value={filters.to}
          onInput={(e) => set({ to: value(e) })}
          data-testid="filter-to"
        />
      </label>
      {hasFilters(filters) && (
        <button class="hl-btn" type="button" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}

function SnapshotRow({
  s,
  selected,
  selectable,
  onSelect,
  onOpen,
  onDelete,
}: {
  s: SnapshotSummary;
  selected: boolean;
  selectable: boolean;
  onSelect: (on: boolean) => void;
  onOpen: () => void;
  onDelete: () => void;
}) {
  const label = summaryLabel(s);
  const when = fmtSavedAt(s.savedAt);
  return (
    <li class="hl-snap-row" data-testid="snapshot-row" data-id={s.id}>
      <input
        type="checkbox"
        checked={selected}
        disabled={!selected && !selectable}
        aria-label={`Select ${label} of ${when} for comparison`}
        onChange={(e) => onSelect((e.currentTarget as HTMLInputElement).checked)}
      />
      <div class="hl-snap-row-main">
        <div class="hl-num hl-snap-row-label">{label}</div>
        <div class="hl-muted hl-hint">
          <time dateTime={s.savedAt}>{when}</time> · {s.site || 'from a file'}
          {s.underlyingPrice !== null ? ` · ${s.underlying} ${fmtNumber(s.underlyingPrice)}` : ''}
          {s.stage ? ` · stage ${s.stage}` : ''} · {formatBytes(s.bytes)}
          {s.note ? ` · ${s.note}` : ''}
        </div>
      </div>
      <button class="hl-btn" type="button" onClick={onOpen} aria-label={`Open ${label} of ${when}`}>
        Open
      </button>
      <button class="hl-btn" type="button" onClick={onDelete} aria-label={`Delete ${label} of ${when}`}>
        Delete
      </button>
    </li>
  );
}

/** The snapshots page: browse, open read-only, compare two, delete with undo, export and import. */
export function SnapshotsApp({ store: given, now = () => new Date(), download, live = true }: SnapshotsAppProps) {
  const store = useRef(given ?? createSnapshotStore()).current;
  const save = download ?? ((f: { text: string; fileName: string; mimeType: string }) => void downloadText(f));
  const [all, setAll] = useState<ListResult | null>(null);
  const [items, setItems] = useState<SnapshotSummary[]>([]);
  const [usage, setUsage] = useState<StorageUsage | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [selected, setSelected] = useState<string[]>([]);
  const [shown, setShown] = useState<Shown>({ kind: 'none' });
  const [notice, setNotice] = useState<Notice>(null);
  const [undo, setUndo] = useState<{ token: string; label: string } | null>(null);
  const [imported, setImported] = useState<{ report: ImportReport; fileName: string } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const seq = useRef(0);
  // Keyboard users land on Undo after a delete (the row they were on is gone).
  const undoButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (undo) undoButton.current?.focus();
  }, [undo]);
  const filtersRef = useRef(filters);

  const refresh = async (f: Filters = filtersRef.current) => {
    const mine = ++seq.current;
    try {
      const list = await store.listSnapshots();
      const filtered = hasFilters(f) ? (await store.listSnapshots(toListQuery(f))).items : list.items;
      const u = await store.storageUsage().catch(() => null);
      if (mine !== seq.current) return; // a newer refresh is under way
      setAll(list);
      setItems(filtered);
      setUsage(u);
      setLoadError(null);
      const ids = new Set(list.items.map((s) => s.id));
      setSelected((sel) => sel.filter((id) => ids.has(id)));
    } catch (err) {
      if (mine === seq.current)
        setLoadError(`Could not read the snapshots: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  useEffect(() => void refresh(), []);

  useEffect(() => {
    if (!live) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (area !== 'local') return;
      const relevant = Object.keys(changes).some(
        (k) => k.startsWith(SNAP_PREFIX) || k.startsWith(INDEX_PREFIX) || k.startsWith(QUARANTINE_PREFIX),
      );
      if (!relevant) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 150);
    };
    browser.storage.onChanged.addListener(listener);
    return () => {
      clearTimeout(timer);
      browser.storage.onChanged.removeListener(listener);
    };
  }, [live]);

  const changeFilters = (patch: Partial<Filters>) => {
    const f = { ...filtersRef.current, ...patch };
    filtersRef.current = f;
    setFilters(f);
    void refresh(f);
  };

  const open = async (s: SnapshotSummary) => {
    const r = await store.getSnapshot(s.id);
    if (!r.ok) {
      setNotice({ tone: 'error', text: r.message });
      await refresh();
      return;
    }
    setShown({ kind: 'snapshot', snapshot: r.snapshot });
  };

  const remove = async (s: SnapshotSummary) => {
    const r = await store.deleteSnapshot(s.id, { now: now() });
    if (!r.ok) {
      setNotice({ tone: 'error', text: r.message });
      return;
    }
    setUndo({ token: r.undoToken, label: `${summaryLabel(s)} of ${fmtSavedAt(s.savedAt)}` });
    setNotice(null);
    setSelected((sel) => sel.filter((id) => id !== s.id));
    if (shown.kind === 'snapshot' && shown.snapshot.id === s.id) setShown({ kind: 'none' });
    if (shown.kind === 'compare' && (shown.comparison.from.id === s.id || shown.comparison.to.id === s.id)) {
      setShown({ kind: 'none' });
    }
    await refresh();
  };

  const undoDelete = async () => {
    if (!undo) return;
    const r = await store.undoDelete(undo.token);
    setUndo(null);
    setNotice(r.ok ? { tone: 'ok', text: `Restored ${undo.label}.` } : { tone: 'error', text: r.message });
    await refresh();
  };

  const compare = async () => {
    if (selected.length !== 2) return;
    const got = await Promise.all(selected.map((id) => store.getSnapshot(id)));
    const bad = got.find((g) => !g.ok);
    if (bad && !bad.ok) {
      setNotice({ tone: 'error', text: bad.message });
      await refresh();
      return;
    }
    const snaps = got.map((g) => (g.ok ? g.snapshot : null)).filter((s): s is Snapshot => s !== null);
    snaps.sort((a, b) => (a.savedAt === b.savedAt ? a.id.localeCompare(b.id) : a.savedAt < b.savedAt ? -1 : 1));
    const [a, b] = snaps as [Snapshot, Snapshot];
    const byId = new Map((all?.items ?? []).map((s) => [s.id, s]));
    const label = (s: Snapshot) => {
      const sum = byId.get(s.id);
      return sum ? summaryLabel(sum) : s.chain.underlying.symbol;
    };
    setShown({ kind: 'compare', comparison: compareSnapshots(a, b), labels: { from: label(a), to: label(b) } });
  };

  const exportJson = async () => {
    try {
      const { text, data } = await exportAll({ store, now: now() });
      const fileName = exportFileName('json', now());
      save({ text, fileName, mimeType: 'application/json' });
      const q = data.quarantined.length;
      setNotice({
        tone: 'ok',
        text: `Exported ${data.count} snapshot${data.count === 1 ? '' : 's'}${q ? ` and ${q} damaged entr${q === 1 ? 'y' : 'ies'}` : ''} to ${fileName}.`,
      });
    } catch (err) {
      setNotice({ tone: 'error', text: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const exportCsvFile = async () => {
    try {
      const text = await exportCsv({ store });
      const fileName = exportFileName('csv', now());
      save({ text, fileName, mimeType: 'text/csv' });
      setNotice({ tone: 'ok', text: `Exported legs and metrics to ${fileName}.` });
    } catch (err) {
      setNotice({ tone: 'error', text: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const importFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      setNotice({
        tone: 'error',
        text: `Could not read ${file.name}: ${err instanceof Error ? err.message : String(err)}`,
      });
      return;
    }
    const report = await importSnapshots(text, { store });
    setImported({ report, fileName: file.name });
    input.value = '';
    await refresh();
  };

  const total = all?.items.length ?? 0;
  const canSelectMore = selected.length < 2;

  return (
    <main class="hl-snap-page" aria-label="HedgeLens snapshots">
      <header class="hl-header hl-snap-header">
        <span class="hl-brand">HedgeLens</span>
        <h1 class="hl-snap-h1">Snapshots</h1>
      </header>
      <UsageLine usage={usage} />
      {loadError && (
        <p class="hl-error" role="alert">
          {loadError}
        </p>
      )}
      <section class="hl-section hl-snap-actions" aria-label="Export and import">
        <button class="hl-btn" type="button" onClick={() => void exportJson()} disabled={!all}>
          Export JSON
        </button>
        <button class="hl-btn" type="button" onClick={() => void exportCsvFile()} disabled={!all}>
          Export CSV
        </button>
        <label class="hl-snap-file">
          <span class="hl-label">Import snapshots (JSON export)</span>
          <input
            type="file"
            accept=".json,application/json"
            data-testid="import-file"
            onChange={(e) => void importFile(e.currentTarget as HTMLInputElement)}
          />
        </label>
      </section>
      {notice && (
        <p
          class={notice.tone === 'ok' ? 'hl-saved' : 'hl-error'}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
          data-testid="snapshots-notice"
        >
          {notice.text}
        </p>
      )}
      {undo && (
        <p class="hl-snap-undo" role="status" data-testid="undo-bar">
          Deleted {undo.label}.{' '}
          <button class="hl-btn" type="button" ref={undoButton} onClick={() => void undoDelete()}>
            Undo
          </button>
        </p>
      )}
      {imported && <ImportReportView report={imported.report} fileName={imported.fileName} />}
      <DamagedEntries list={all} />
      <div class="hl-snap-layout">
        <section class="hl-section hl-snap-list-section" aria-label="Saved snapshots">
          <FilterBar filters={filters} onChange={changeFilters} all={all?.items ?? []} />
          <p class="hl-muted hl-hint" data-testid="list-count" aria-live="polite">
            {all === null
              ? 'Reading snapshots…'
              : hasFilters(filters)
                ? `${items.length} of ${total} snapshot${total === 1 ? '' : 's'} match`
                : `${total} snapshot${total === 1 ? '' : 's'}, newest first`}
          </p>
          <div class="hl-snap-compare-bar">
            <button class="hl-btn" type="button" disabled={selected.length !== 2} onClick={() => void compare()}>
              Compare selected ({selected.length}/2)
            </button>
            {selected.length > 0 && (
              <button class="hl-btn" type="button" onClick={() => setSelected([])}>
                Clear selection
              </button>
            )}
          </div>
          {all !== null && total === 0 && (
            <p class="hl-muted">
              No snapshots yet. Save one from the overlay, the popup or with Alt+Shift+S on a page with an option chain.
            </p>
          )}
          <ul class="hl-snap-rows" data-testid="snapshot-list">
            {items.map((s) => (
              <SnapshotRow
                key={s.id}
                s={s}
                selected={selected.includes(s.id)}
                selectable={canSelectMore}
                onSelect={(on) =>
                  setSelected((sel) =>
                    on ? [...sel.filter((x) => x !== s.id), s.id].slice(-2) : sel.filter((x) => x !== s.id),
                  )
                }
                onOpen={() => void open(s)}
                onDelete={() => void remove(s)}
              />
            ))}
          </ul>
        </section>
        <div class="hl-snap-detail">
          {shown.kind === 'snapshot' && (
            <SnapshotView snapshot={shown.snapshot} onClose={() => setShown({ kind: 'none' })} />
          )}
          {shown.kind === 'compare' && (
            <CompareView
              comparison={shown.comparison}
              labels={shown.labels}
              onClose={() => setShown({ kind: 'none' })}
            />
          )}
        </div>
      </div>
      <footer class="hl-footer">
        Snapshots stay in this browser; export writes a file on your computer, nothing is sent anywhere.
      </footer>
    </main>
  );
}
