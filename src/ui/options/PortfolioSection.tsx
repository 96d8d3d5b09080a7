import { useEffect, useState } from 'preact/hooks';
import { bookRisk, DEFAULT_SPX_MOVES, marketFromMarks, type BookRisk } from '../../engine/portfolio';
import type { PositionGreeks } from '../../engine/types';
import { contractKey, journalPnl } from '../../positions/journal';
import {
  createPositionStore,
  DEFAULT_BETAS,
  loadBetas,
  saveBetas,
  type PositionList,
  type StoredPosition,
} from '../../storage/positions';
import { fmtDateTime, fmtDollars, fmtNumber } from '../format';
import { Status, type StatusValue } from './Status';

const BETA_SYMBOLS = Object.keys(DEFAULT_BETAS);

/** The book: every stored position valued on the marks kept with it, the betas, the stress grid across underlyings. */
function valueBook(items: readonly StoredPosition[], betas: Record<string, number>): BookRisk {
  return bookRisk(
    items.map((p) => ({
      id: p.id,
      name: p.name,
      underlying: p.underlying,
      legs: p.legs,
      realisedDollars: journalPnl(p.journal, () => null).realisedDollars,
      market: p.market,
    })),
    (p) => (p.market ? marketFromMarks(p.market.spot, p.market.legs, (l) => contractKey(l)) : null),
    betas,
  );
}

const num = (v: number | null, digits = 0) => (v === null ? '—' : fmtNumber(v, digits));

const GREEKS: [keyof PositionGreeks, string, number][] = [
  ['deltaDollarsPerPoint', 'delta', 1],
  ['gammaDollarsPerPoint', 'gamma', 2],
  ['vegaDollarsPerVolPoint', 'vega', 1],
  ['thetaDollarsPerDay', 'theta', 1],
];

/** The four dollar greeks as cells, each with its exact value in data-value (what the e2e test reads). */
function GreekCells({ greeks }: { greeks: PositionGreeks }) {
  return (
    <>
      {GREEKS.map(([key, name, digits]) => (
        <td key={name} data-greek={name} data-value={greeks[key]}>
          {num(greeks[key], digits)}
        </td>
      ))}
    </>
  );
}

/**
 * Options → Positions and portfolio: the positions HedgeLens keeps (the overlay's condor with its hedges and journal,
 * positions imported from a broker's file), their dollar greeks and P/L together, delta weighted to SPX by betas
 * the trader can edit, and one stress grid across underlyings. Valued on the marks last seen on the broker's page.
 */
export function PortfolioSection() {
  const [list, setList] = useState<PositionList | null>(null);
  const [betas, setBetas] = useState<Record<string, number>>({ ...DEFAULT_BETAS });
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<StatusValue>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const reload = async () => {
    try {
      const [l, b] = await Promise.all([createPositionStore().listPositions(), loadBetas()]);
      setList(l);
      setBetas(b);
      setDraft(Object.fromEntries(BETA_SYMBOLS.map((s) => [s, String(b[s] ?? '')])));
      setProblem(null);
    } catch (err) {
      setProblem(`The stored positions could not be read: ${err instanceof Error ? err.message : String(err)}.`);
    }
  };
  useEffect(() => {
    void reload();
  }, []);

  const onSaveBetas = async (ev: Event) => {
    ev.preventDefault();
    const next: Record<string, number> = { ...betas };
    for (const s of BETA_SYMBOLS) {
      const t = (draft[s] ?? '').trim();
      const v = Number(t);
      if (t === '' || !Number.isFinite(v)) {
        setStatus({ kind: 'error', text: `Not saved: the beta of ${s} must be a number. Nothing was changed.` });
        return;
      }
      next[s] = v;
    }
    const r = await saveBetas(next);
    setStatus(
      r.ok
        ? { kind: 'saved', text: 'Betas saved: the weighted delta and stress use them.' }
        : { kind: 'error', text: r.message },
    );
    if (r.ok) setBetas(next);
  };

  const onDelete = async (p: StoredPosition) => {
    await createPositionStore().deletePosition(p.id);
    setStatus({ kind: 'saved', text: `${p.name} deleted.` });
    await reload();
  };

  const items = list?.items ?? [];
  const book = items.length > 0 ? valueBook(items, betas) : null;
  const byId = new Map(items.map((p) => [p.id, p]));
  return (
    <section class="hl-section" aria-labelledby="portfolio-title" data-testid="portfolio">
      <h2 id="portfolio-title" class="hl-title">
        Positions and portfolio
      </h2>
      <p class="hl-muted">
        The condor you enter in the overlay, with the hedges you add and their journal, is kept here per underlying and
        expiry. Valued on the marks last seen on the broker’s page (Black on each leg’s own expiry, sticky strike).
        Greeks in dollars: delta and gamma per point of the position’s own underlying, vega per vol point, theta per
        day.
      </p>
      {problem && (
        <p class="hl-error" role="alert">
          {problem}
        </p>
      )}
      {list && list.quarantined.length > 0 && (
        <p class="hl-error" role="alert" data-testid="portfolio-quarantined">
          {list.quarantined.length} stored position{list.quarantined.length === 1 ? '' : 's'} could not be read and{' '}
          {list.quarantined.length === 1 ? 'was' : 'were'} set aside, not deleted (
          {list.quarantined.map((q) => `${q.originalKey}: ${q.reason}`).join('; ')}). “Export everything” keeps a copy.
        </p>
      )}
      {list && list.skipped.length > 0 && (
        <p class="hl-muted" role="status">
          {list.skipped.length} position{list.skipped.length === 1 ? ' was' : 's were'} written by a newer HedgeLens and
          left untouched.
        </p>
      )}
      {list && items.length === 0 && <p data-testid="portfolio-empty">No positions kept yet.</p>}
      {book && (
        <>
          <div class="hlo-table-wrap">
            <table class="hlo-table hl-num" data-testid="portfolio-table">
              <caption class="hl-muted">Each position and the book, in dollars</caption>
              <thead>
                <tr>
                  <th scope="col">Position</th>
                  <th scope="col">Delta /pt</th>
                  <th scope="col">Gamma /pt</th>
                  <th scope="col">Vega /vol pt</th>
                  <th scope="col">Theta /day</th>
                  <th scope="col">Delta per 1% SPX (β)</th>
                  <th scope="col">P/L open</th>
                  <th scope="col">Realised</th>
                  <th scope="col">Marks of</th>
                  <th scope="col">
                    <span class="hl-alvh-sr">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {book.positions.map((b) => {
                  const p = byId.get(b.id)!;
                  return (
                    <tr key={b.id} data-testid="portfolio-row" data-id={b.id}>
                      <th scope="row">
                        {b.name}
                        {b.unvalued.length > 0 && <span class="hl-muted"> · not valued: {b.unvalued.join(', ')}</span>}
                      </th>
                      <GreekCells greeks={b.greeks} />
                      <td>{b.betaDeltaPerSpxPct === null ? '—' : fmtDollars(b.betaDeltaPerSpxPct, { sign: true })}</td>
                      <td>{fmtDollars(b.openPnlDollars, { sign: true })}</td>
                      <td>{fmtDollars(b.realisedDollars, { sign: true })}</td>
                      <td>{p.market ? fmtDateTime(p.market.asOf) : '—'}</td>
                      <td>
                        <button
                          type="button"
                          class="hl-btn hl-btn-small"
                          aria-label={`Delete ${b.name}`}
                          onClick={() => void onDelete(p)}
                        >
                          Delete
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr data-testid="portfolio-combined">
                  <th scope="row">All positions</th>
                  <GreekCells greeks={book.combined.greeks} />
                  <td>{fmtDollars(book.combined.betaDeltaPerSpxPct, { sign: true })}</td>
                  <td>{fmtDollars(book.combined.openPnlDollars, { sign: true })}</td>
                  <td>{fmtDollars(book.combined.realisedDollars, { sign: true })}</td>
                  <td colSpan={2} />
                </tr>
              </tfoot>
            </table>
          </div>
          {book.notes.map((n) => (
            <p class="hl-hint hl-muted" key={n}>
              Note: {n}.
            </p>
          ))}
          <div class="hlo-table-wrap">
            <table class="hlo-table hl-num" data-testid="portfolio-stress">
              <caption class="hl-muted">
                Stress: P/L change in $ if SPX moves by…, each underlying by its beta times that, same day and vols
              </caption>
              <thead>
                <tr>
                  <th scope="col">Position</th>
                  {DEFAULT_SPX_MOVES.map((m) => (
                    <th scope="col" key={m}>
                      {m > 0 ? '+' : ''}
                      {Math.round(m * 100)}%
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {book.stress.rows.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{byId.get(r.id)?.name ?? r.id}</th>
                    {r.pnlDollars.map((v, j) => (
                      <td key={j}>{fmtDollars(v, { sign: true })}</td>
                    ))}
                  </tr>
                ))}
                <tr>
                  <th scope="row">All positions</th>
                  {book.stress.total.map((v, j) => (
                    <td key={j}>{fmtDollars(v, { sign: true })}</td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>
        </>
      )}
      <form class="hlo-form" onSubmit={(ev) => void onSaveBetas(ev)} aria-label="Betas to SPX">
        <p class="hl-muted">
          Betas to SPX, for the weighted delta and the stress grid. Defaults: SPY 1.00 (it tracks the index), QQQ 1.15,
          IWM and RUT 1.20 — rough estimates; put your own.
        </p>
        {BETA_SYMBOLS.map((s) => (
          <label key={s} class="hlo-inline">
            Beta of {s}{' '}
            <input
              type="number"
              step="0.01"
              inputMode="decimal"
              value={draft[s] ?? ''}
              onInput={(e) => setDraft({ ...draft, [s]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
        <button type="submit" class="hl-btn">
          Save betas
        </button>
      </form>
      <Status value={status} testId="portfolio-status" />
    </section>
  );
}
