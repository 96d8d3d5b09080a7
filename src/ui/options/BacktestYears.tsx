/**
 * Options → Backtest, year by year (#15): each strategy's annual return, and beside it an index history the trader
 * picks (Cboe's CNDR_History.csv, say), compared by cndr.ts benchmarkComparison.
 */
import { useMemo, useState } from 'preact/hooks';
import type { BacktestReport } from '../../engine/backtest';
import { benchmarkComparison } from '../../engine/backtest/cndr';
import { BacktestInputError, readCboe } from '../../engine/backtest/market';
import { signedPct } from './backtestFormat';
import { readFileText } from './files';

/** An index history picked to compare with (read here, kept in the page only). */
interface Benchmark {
  name: string;
  bars: readonly { date: string; close: number }[];
}

/**
 * Each strategy's return year by year, and beside it, when the trader picks one, an index history (cndr.ts
 * benchmarkComparison): Cboe's CNDR_History.csv, say. The index is read by the one history reader and kept in the
 * page, never stored or sent.
 */
export function YearsPart({ report }: { report: BacktestReport }) {
  const [bench, setBench] = useState<Benchmark | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const cmp = useMemo(() => (bench ? benchmarkComparison(report, bench.bars, bench.name) : null), [bench, report]);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    try {
      const bars = readCboe({ name: file.name, text: await readFileText(file) }, 'index history');
      setBench({ name: file.name, bars });
      setError(null);
      setOpen(true);
    } catch (err) {
      setBench(null);
      setError(
        err instanceof BacktestInputError
          ? err.message
          : `index history ${file.name}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  const years = Object.keys(report.strategies[0]?.annualReturns ?? {});
  const indexOf = new Map((cmp?.years ?? []).map((y) => [y.year, y.benchmark]));
  const shown = cmp !== null && cmp.years.length > 0;
  return (
    <div class="hlo-benchmark" data-testid="backtest-benchmark">
      <details open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          Year by year ({years.length} year{years.length === 1 ? '' : 's'}
          {shown ? `, beside ${cmp.name}` : ''})
        </summary>
        <div class="hlo-scroll" tabIndex={0} role="region" aria-label="Returns year by year (scrolls sideways)">
          <table class="hlo-profiles hl-num" data-testid="backtest-years">
            <caption class="hl-muted">
              {shown
                ? `Each year’s return, and ${cmp.name}’s (closes ${cmp.covers.from} to ${cmp.covers.to}) from its close at the run’s last session of one year to the next${cmp.missing.length > 0 ? `; not covered at both ends: ${cmp.missing.join(', ')}` : ''}`
                : 'Each year’s return (the first and last years from and to the ends of the run)'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Year</th>
                {shown && <th scope="col">Index</th>}
                {report.strategies.map((s) => (
                  <th scope="col" key={s.id}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr key={y} data-year={y}>
                  <th scope="row">{y}</th>
                  {shown && <td>{signedPct(indexOf.get(y))}</td>}
                  {report.strategies.map((s) => (
                    <td key={s.id}>{signedPct(s.annualReturns[y])}</td>
                  ))}
                </tr>
              ))}
              {shown && (
                <tr data-row="per-year">
                  <th
                    scope="row"
                    title="The years the index covers compounded, per year counted (a part year counts as one)"
                  >
                    Per year, years in common
                  </th>
                  <td>{signedPct(cmp.annualized.benchmark)}</td>
                  {report.strategies.map((s) => (
                    <td key={s.id}>{signedPct(cmp.annualized[s.id])}</td>
                  ))}
                </tr>
              )}
              {shown && (
                <tr data-row="correlation">
                  <th scope="row" title="Correlation of annual returns with the index (three years or more)">
                    Correlation with the index
                  </th>
                  <td>—</td>
                  {report.strategies.map((s) => {
                    const c = cmp.correlation[s.id];
                    return <td key={s.id}>{c === null || c === undefined ? '—' : c.toFixed(2)}</td>;
                  })}
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </details>
      <label class="hlo-file">
        Compare with an index history (e.g. Cboe’s CNDR_History.csv){' '}
        <input
          type="file"
          accept=".csv,text/csv,text/plain"
          name="bt-benchmark"
          onChange={(e) => void pick((e.target as HTMLInputElement).files?.[0])}
        />
      </label>
      <p class="hl-hint hl-muted">
        Adds the index’s return each year beside each strategy’s, in the layout of the S&amp;P 500 history. Read here,
        never stored or sent.
      </p>
      {error && (
        <p class="hl-error" role="alert">
          {error}
        </p>
      )}
      {cmp && cmp.years.length === 0 && (
        <p class="hl-error" role="alert">
          {cmp.name} covers {cmp.covers.from} to {cmp.covers.to}, the run {report.from} to {report.to}: no year of the
          run has its closes at both ends.
        </p>
      )}
    </div>
  );
}
