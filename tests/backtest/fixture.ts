/**
 * Authored histories for the backtest's tests (no ../shared needed): weekday sessions from a start date, a calm VIX
 * near 14 with a spike to about 60 in March 2020 and its decay, and an S&P 500 that drifts up and falls about 30 %
 * during the spike. Deterministic (a fixed linear congruential sequence), in Cboe's DATE,OPEN,HIGH,LOW,CLOSE layout.
 */
export interface AuthoredDay {
  date: string;
  spx: number;
  vix: number;
}

export function authoredDays(start = '2019-06-03', sessions = 400): AuthoredDay[] {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const out: AuthoredDay[] = [];
  let t = Date.parse(`${start}T00:00:00Z`);
  let spx = 2900;
  let vix = 14;
  while (out.length < sessions) {
    const d = new Date(t);
    t += 86_400_000;
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    const date = d.toISOString().slice(0, 10);
    const crash = date >= '2020-02-20' && date <= '2020-03-20';
    const target = crash ? 62 : 14;
    vix = Math.max(9, vix + (target - vix) * (crash ? 0.18 : 0.06) + rand() * 1.2);
    spx = spx * (1 + (crash ? -0.014 : 0.0005) + rand() * 0.01);
    out.push({ date, spx: Math.round(spx * 100) / 100, vix: Math.round(vix * 100) / 100 });
  }
  return out;
}

const us = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

export function cboeText(rows: readonly { date: string; close: number }[]): string {
  return [
    'DATE,OPEN,HIGH,LOW,CLOSE',
    ...rows.map((r) => `${us(r.date)},${r.close},${r.close},${r.close},${r.close}`),
  ].join('\n');
}

export function authoredFiles(days: readonly AuthoredDay[] = authoredDays()) {
  return {
    spx: { name: 'SPX_History.csv', text: cboeText(days.map((d) => ({ date: d.date, close: d.spx }))) },
    vix: { name: 'VIX_History.csv', text: cboeText(days.map((d) => ({ date: d.date, close: d.vix }))) },
  };
}

/** The six strategies the issue names, in the order the report lists them (written out here, not read from the code). */
export const SIX_STRATEGIES = ['none', 'alvh', 'vix-first', 'second-engine', 'spx-puts', 'vxth'];
