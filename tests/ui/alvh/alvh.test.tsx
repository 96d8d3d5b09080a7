// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { importChainText } from '../../../src/chain/importers/index';
import type { Chain } from '../../../src/chain/types';
import { planHedges, type HedgePlan, type HedgeTicket } from '../../../src/engine/alvh/plan';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { parseVixHistory } from '../../../src/engine/alvh/vixSeries';
import { analyzeChain } from '../../../src/engine/analyze';
import { valuationTime } from '../../../src/engine/time';
import { AlvhPanel } from '../../../src/ui/alvh/AlvhPanel';
import { StageBanner } from '../../../src/ui/alvh/StageBanner';
import { TicketCard } from '../../../src/ui/alvh/TicketCard';
import { VixInput, parseVix } from '../../../src/ui/alvh/VixInput';
import { STRUCTURE_LABEL } from '../../../src/ui/alvh/view';
import { fmtDollars, fmtNumber, fmtStrike } from '../../../src/ui/format';
import type { TicketView } from '../../../src/worker/engine';
import { FIXTURES_DIR } from '../../helpers/shared';

function loadChain(rel: string): Chain {
  const r = importChainText({ text: readFileSync(resolve(FIXTURES_DIR, rel), 'utf8'), fileName: rel });
  if (!r.ok) throw new Error(r.reason);
  return r.chain;
}

const authored = parseVixHistory({ text: readFileSync(resolve(FIXTURES_DIR, 'vix/authored_spike.csv'), 'utf8') }).bars;

/** SPY 2025-09-25 (the full strike ladder) with the suggested condor. */
function spyPlan(vix: number, history: typeof authored): HedgePlan {
  const chain = loadChain('cboe/cboe_spy_quotedata_2025-09-25.csv');
  const now = valuationTime(new Date(chain.asOf!)).at;
  return planHedges({
    analysis: analyzeChain({ chain, now }),
    chain,
    vix: { spot: vix, history },
    rulebook: defaultRulebook(),
    account: { sizeDollars: 100_000, buyingPowerDollars: 100_000 },
    now,
  });
}

/** The March 2020 crash: legacy SPX file, a given condor, the authored VIX chain (VIX futures, VXTH cap). */
function crashPlan(): HedgePlan {
  const chain = loadChain('cboe/cboe_spx_quotedata_2020-03-22_legacy.dat');
  const vixChain = loadChain('cboe/vix_quotedata_2020-03-13_authored.dat');
  const now = valuationTime(new Date(chain.asOf!)).at;
  // Authored closes running up to 19 Mar 2020 (weekdays), so RSI and MACD exist.
  const closes = [
    ...Array.from({ length: 40 }, (_, i) => 14 + 0.05 * i),
    17,
    19,
    22,
    25,
    27,
    33,
    40,
    41,
    48,
    54,
    57,
    62,
    75,
    77,
    72,
  ];
  const dates: string[] = [];
  for (let t = Date.parse('2020-03-19'); dates.length < closes.length; t -= 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() % 6 !== 0) dates.unshift(d.toISOString().slice(0, 10));
  }
  const history = dates.map((date, i) => ({ date, open: null, high: null, low: null, close: closes[i]! }));
  return planHedges({
    analysis: analyzeChain({
      chain,
      now,
      expiry: '2020-04-17',
      condor: { strikes: [1900, 2000, 2600, 2700], quantity: 2, credit: 30 },
    }),
    chain,
    vix: { spot: 66, history },
    vixChain,
    rulebook: defaultRulebook(),
    account: { sizeDollars: 1_000_000, buyingPowerDollars: 400_000 },
    now,
  });
}

let host: HTMLElement;
function show(node: preact.ComponentChild): HTMLElement {
  host = document.createElement('div');
  document.body.appendChild(host);
  act(() => render(node, host));
  return host;
}
afterEach(() => {
  if (host) {
    render(null, host);
    host.remove();
  }
});
const text = (el: Element | null): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Opens (or closes) every <details> under `el` as a click on its summary does: `open` set, then its toggle event. */
function toggleAll(el: Element, open = true): void {
  act(() => {
    for (const d of el.querySelectorAll('details')) {
      d.open = open;
      d.dispatchEvent(new Event('toggle'));
    }
  });
}

let spike: HedgePlan;
let calm: HedgePlan;
let crash: HedgePlan;
beforeAll(() => {
  spike = spyPlan(28, authored);
  calm = spyPlan(28, []);
  crash = crashPlan();
});

describe('StageBanner', () => {
  it('shows the stage, its colour hook, the VIX signals and the why of a spike', () => {
    expect(spike.stage).not.toBe('calm');
    const el = show(<StageBanner plan={spike} />);
    const banner = el.querySelector('section')!;
    expect(banner.getAttribute('aria-live')).toBe('polite');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.dataset.stage).toBe(spike.stage);
    const label = {
      'layer-one': 'Layer One',
      'second-engine': 'Second Engine',
      'time-shift': 'Time-shift',
      unwind: 'Unwind',
    };
    expect(text(el.querySelector('[data-testid=alvh-stage]'))).toBe(label[spike.stage as keyof typeof label]);
    const pts = spike.checks.find((c) => c.id === 'spike.points')!.value!;
    const pct = spike.checks.find((c) => c.id === 'spike.pct')!.value!;
    const rsi2 = spike.checks.find((c) => c.id === 'spike.rsiShort')!.value!;
    const rsi14 = spike.checks.find((c) => c.id === 'momentum.rsiLong')!.value!;
    const t = text(el);
    expect(t).toContain('VIX28.00');
    expect(t).toContain(`Change+${fmtNumber(pts)} (+${fmtNumber(pct, 1)}%)`);
    expect(t).toContain(`RSI(2)${fmtNumber(rsi2, 1)}`);
    expect(t).toContain(`RSI(14)${fmtNumber(rsi14, 1)}`);
    expect(t).toMatch(/MACD hist[+−]?\d/);
    expect(t).toContain('Short |Δ|');
    // the why is today's transitions, naming the rules, inputs and thresholds
    expect(spike.transitions.length).toBeGreaterThan(0);
    expect(text(el.querySelector('[data-testid=alvh-why]'))).toBe(spike.transitions.map((x) => x.sentence).join(' '));
    expect(t).toContain('spikePctOnPriorClose');
    expect(t).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('in Calm says nothing to do and lists the hedges it would use with their price now', () => {
    expect(calm.stage).toBe('calm');
    expect(calm.tickets.length).toBeGreaterThan(0);
    const el = show(<StageBanner plan={calm} />);
    const t = text(el);
    expect(t).toContain('Calm');
    expect(t).toContain('Nothing to do');
    expect(t).toContain('Changeno prior close');
    expect(t).toContain('Would use, priced now');
    const first = calm.tickets[0]!;
    expect(t).toContain(
      `${STRUCTURE_LABEL[first.structure]} ×${first.quantity}: ${fmtDollars(Math.abs(first.naturalDollars))}`,
    );
    expect(text(el.querySelector('[data-testid=alvh-why]'))).toMatch(/could not be judged/);
    expect(t).not.toMatch(/NaN|Infinity|undefined/);
  });
});

describe('StageBanner: macro dates', () => {
  it('says the urgency and its reasons as text, and lists the next macro dates', () => {
    const chain = loadChain('cboe/cboe_spy_quotedata_2025-09-25.csv');
    const now = valuationTime(new Date(chain.asOf!)).at;
    const plan = planHedges({
      analysis: analyzeChain({ chain, now }),
      chain,
      vix: { spot: 28, history: authored },
      rulebook: defaultRulebook(),
      account: null,
      now,
      macroEvents: [{ kind: 'PCE', date: '2025-09-26' }],
    });
    expect(plan.urgency.level).toBe('raised');
    const el = show(
      <StageBanner
        plan={plan}
        upcomingMacro={[
          { kind: 'PCE', date: '2025-09-26', daysAway: 1 },
          { kind: 'CPI', date: '2025-10-15', daysAway: 20 },
        ]}
      />,
    );
    expect(text(el.querySelector('[data-testid=alvh-urgency]'))).toBe(
      'Urgency raised: PCE on 2025-09-26, 1 day(s) away (within macroEventWindowDays = 2).',
    );
    expect(text(el.querySelector('[data-testid=alvh-macro-next]'))).toBe(
      'Macro dates ahead: PCE 2025-09-26 (1 day), CPI 2025-10-15 (20 days).',
    );
  });

  it('without macro dates: neither line', () => {
    const el = show(<StageBanner plan={spike} />);
    expect(spike.urgency.level).toBe('normal');
    expect(el.querySelector('[data-testid=alvh-urgency]')).toBeNull();
    expect(el.querySelector('[data-testid=alvh-macro-next]')).toBeNull();
  });
});

describe('TicketCard', () => {
  const check = (tk: HedgeTicket) => {
    const el = show(<TicketCard ticket={tk} />);
    const t = text(el);
    expect(el.querySelector('article')!.getAttribute('aria-label')).toBe(
      `${STRUCTURE_LABEL[tk.structure]} × ${tk.quantity}`,
    );
    const rows = [...el.querySelectorAll('.hl-alvh-legs tbody tr')];
    expect(rows).toHaveLength(tk.legs.length);
    tk.legs.forEach((l, i) => {
      const cells = [...rows[i]!.querySelectorAll('td')].map((c) => c.textContent);
      const n = l.ratio * tk.quantity;
      expect(cells[0]).toBe(`${n > 0 ? 'Buy' : 'Sell'} ${Math.abs(n)}`);
      // The option cell holds the readable name and, below it, the OCC symbol.
      expect(rows[i]!.querySelector('.hl-alvh-occ')!.textContent).toBe(l.occ);
      expect(rows[i]!.querySelector('.hl-alvh-option')!.textContent).toBe(
        `${fmtStrike(l.strike)} ${l.kind} ${l.expiry}`,
      );
      expect(cells[4]).toBe(fmtNumber(l.mid));
    });
    const word = (x: number) => (x > 0 ? 'debit' : x < 0 ? 'credit' : 'even');
    expect(text(el.querySelector('[data-testid=ticket-price]'))).toBe(
      `Mid ${fmtNumber(Math.abs(tk.midPerUnit))} ${word(tk.midPerUnit)} (${fmtDollars(Math.abs(tk.midDollars))}) · natural ${fmtNumber(Math.abs(tk.naturalPerUnit))} ${word(tk.naturalPerUnit)} ( ${fmtDollars(Math.abs(tk.naturalDollars))}) · margin ${fmtDollars(tk.marginDollars)}`.replace(
        '( ',
        '(',
      ),
    );
    // The threatened side first (a downside hedge measured on the downside), then the worst over both sides.
    const worst = [...el.querySelectorAll('[data-testid=stress-worst] td')].map((c) => c.textContent);
    expect(worst).toEqual([fmtDollars(-tk.stress.sideWorstBefore), fmtDollars(-tk.stress.sideWorstAfter)]);
    expect(text(el.querySelector('[data-testid=stress-worst] th'))).toBe(`Worst stress loss, ${tk.stress.side}`);
    const both = [...el.querySelectorAll('[data-testid=stress-worst-both] td')].map((c) => c.textContent);
    expect(both).toEqual([fmtDollars(-tk.stress.worstBefore), fmtDollars(-tk.stress.worstAfter)]);
    expect(t).toContain(
      `Delta /pt${fmtDollars(tk.greeksBefore.deltaDollarsPerPoint, { sign: true, cents: true })}${fmtDollars(tk.greeksAfter.deltaDollarsPerPoint, { sign: true, cents: true })}`,
    );
    // The chips in order: the quick ratio, the legs' liquidity (when judged per leg), the cost, the VXTH cap.
    const chips = [...el.querySelectorAll('.hl-alvh-chip')];
    const legs = tk.constraints.legs;
    expect(chips).toHaveLength(legs ? 4 : 3);
    const [liquidity, legsChip, cost, vxth] = legs ? chips : [chips[0], null, chips[1], chips[2]];
    const liq = tk.constraints.liquidity;
    expect(liquidity!.getAttribute('data-state')).toBe(liq.judged === false ? 'na' : liq.ok ? 'pass' : 'fail');
    if (legs) {
      expect(legsChip!.getAttribute('data-state')).toBe(legs.ok ? 'pass' : 'fail');
      expect(text(legsChip!)).toContain(legs.ok ? 'Legs liquid' : 'A leg is illiquid');
    }
    expect(cost!.getAttribute('data-state')).toBe(tk.constraints.cost.ok ? 'pass' : 'fail');
    expect(text(cost!)).toContain(
      `Cost ${fmtDollars(tk.constraints.cost.costDollars)} ≤ ${fmtDollars(tk.constraints.cost.maxDollars)}`,
    );
    const vx = tk.constraints.vxth;
    expect(vxth!.getAttribute('data-state')).toBe(vx ? (vx.judged === false ? 'na' : vx.ok ? 'pass' : 'fail') : 'na');
    for (const s of tk.why.sentences) expect(t).toContain(s);
    expect(t).not.toMatch(/NaN|Infinity|undefined/);
    return el;
  };
  it('shows every SPY ticket: legs with OCC symbols, price, greeks, stress and constraints', () => {
    expect(spike.tickets.length).toBeGreaterThan(0);
    for (const tk of spike.tickets) check(tk);
  });
  it('the button says what taking the ticket is: Add to position for a hedge, Roll for a roll, Convert for a conversion', () => {
    const tickets = [...spike.tickets, ...crash.tickets];
    const verbOf = (tk: HedgeTicket) =>
      tk.structure.startsWith('roll-') ? 'Roll' : tk.structure.endsWith('-conversion') ? 'Convert' : 'Add to position';
    expect(
      tickets.some((tk) => tk.structure.startsWith('roll-')),
      'a roll among the plans',
    ).toBe(true);
    for (const tk of tickets) {
      const taken: TicketView[] = [];
      const el = show(<TicketCard ticket={tk} onAdd={(t) => taken.push(t)} />);
      const b = el.querySelector<HTMLButtonElement>('.hl-alvh-add button')!;
      expect(b.textContent).toBe(verbOf(tk));
      expect(b.getAttribute('aria-label')).toBe(`${verbOf(tk)}: ${STRUCTURE_LABEL[tk.structure]}`);
      act(() => b.click());
      expect(taken).toEqual([tk]);
    }
  });
  it('shows the VXTH chip of a Second Engine VIX ticket (March 2020, VIX chain)', () => {
    // The VXTH cap applies to the Second Engine's VIX legs (an SPX long put has none).
    const se = crash.tickets.filter((t) => t.layer === 'second-engine' && t.legs.some((l) => l.underlying === 'VIX'));
    expect(se.length).toBeGreaterThan(0);
    for (const tk of se) {
      const el = check(tk);
      const v = tk.constraints.vxth!;
      const chips = [...el.querySelectorAll('.hl-alvh-chip')];
      expect(text(chips[chips.length - 1]!)).toContain(
        `VXTH ${fmtDollars(v.allocationDollars)} ≤ ${fmtDollars(v.capDollars)}`,
      );
      expect(text(el)).toContain(
        `${fmtNumber(v.accountPct, 1)}% of the account at VIX future ${fmtNumber(v.vixFuture)}`,
      );
    }
  });
});

describe('VixInput', () => {
  it.each([
    ['18.5', 18.5],
    [' 80 ', 80],
    ['5', 5],
    ['150', 150],
    ['22,4', 22.4],
  ])('accepts %j', (s, v) => expect(parseVix(s)).toEqual({ ok: true, value: v }));
  it.each([
    ['', 'Type the VIX'],
    ['abc', 'must be a number'],
    ['1e2', 'must be a number'],
    ['4.99', 'between 5 and 150'],
    ['151', 'between 5 and 150'],
    ['-20', 'between 5 and 150'],
  ])('rejects %j', (s, msg) => {
    const r = parseVix(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(msg);
  });

  const type = (input: HTMLInputElement, value: string) =>
    act(() => {
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  const submit = (el: HTMLElement) =>
    act(() => {
      el.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });

  it('validates, shows one error as an alert, then submits the VIX and previous close', () => {
    const onSubmit = vi.fn();
    const el = show(<VixInput onSubmit={onSubmit} />);
    const [vix, prev] = [...el.querySelectorAll('input')] as HTMLInputElement[];
    const button = el.querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe('Use this VIX');
    type(vix!, '200');
    submit(el);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(text(el.querySelector('[role=alert]'))).toBe('VIX must be between 5 and 150');
    expect(vix!.getAttribute('aria-invalid')).toBe('true');
    type(vix!, '27.5');
    type(prev!, 'x');
    submit(el);
    expect(text(el.querySelector('[role=alert]'))).toBe('Previous close must be a number');
    expect(prev!.getAttribute('aria-invalid')).toBe('true');
    type(prev!, '19.1');
    submit(el);
    expect(onSubmit).toHaveBeenCalledWith({ vix: 27.5, prevClose: 19.1 });
    expect(el.querySelector('[role=alert]')).toBeNull();
    type(prev!, '');
    submit(el);
    expect(onSubmit).toHaveBeenLastCalledWith({ vix: 27.5, prevClose: null });
  });
});

describe('AlvhPanel', () => {
  it('empty state: asks for the VIX, with the form when it can take it', () => {
    const onVix = vi.fn();
    const el = show(<AlvhPanel plan={null} onVixSubmit={onVix} />);
    expect(text(el.querySelector('[data-testid=alvh-empty]'))).toBe('Give HedgeLens the VIX to see the hedge plan.');
    expect(el.querySelector('form[aria-label="Enter the VIX"]')).not.toBeNull();
    const el2 = show(<AlvhPanel plan={null} status={{ kind: 'error', message: 'no condor' }} />);
    expect(text(el2)).toContain('The hedge plan could not be computed: no condor');
    expect(el2.querySelector('form')).toBeNull();
  });

  it('composes banner, active tickets, reference tickets and what could not be judged', () => {
    const el = show(<AlvhPanel plan={spike} onVixSubmit={() => {}} />);
    expect(el.querySelector('section[aria-label="ALVH hedge plan"]')).not.toBeNull();
    expect(el.querySelectorAll('[aria-live]').length).toBe(1);
    // What is under a closed <details> is built when it is first opened.
    expect(el.querySelectorAll('article')).toHaveLength(spike.tickets.filter((t) => t.active).length);
    toggleAll(el);
    const cards = [...el.querySelectorAll('article')];
    expect(cards).toHaveLength(spike.tickets.length);
    const active = spike.tickets.filter((t) => t.active);
    expect(cards.filter((c) => c.getAttribute('data-active') === 'true')).toHaveLength(active.length);
    // every button has an accessible name
    for (const b of el.querySelectorAll('button'))
      expect((b.getAttribute('aria-label') ?? b.textContent ?? '').trim()).not.toBe('');
    for (const r of spike.rejected) expect(text(el)).toContain(r.reason);
    // the disclaimer is the lead's, shown once elsewhere
    expect(text(el)).not.toMatch(/not advice/i);
    expect(text(el)).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('in Calm with VIX alone: reference tickets and the checks it could not judge', () => {
    const el = show(<AlvhPanel plan={calm} />);
    expect(text(el)).toContain(`What each layer would use (${calm.tickets.length})`);
    expect(el.querySelectorAll('article')).toHaveLength(0);
    expect(el.querySelector('[data-testid=alvh-unjudged]')).toBeNull();
    toggleAll(el);
    expect(el.querySelectorAll('article')).toHaveLength(calm.tickets.length);
    const missing = [...el.querySelectorAll('[data-testid=alvh-unjudged] li')].map((li) => li.textContent);
    expect(missing).toContain('VIX change on the prior close: skipped — no prior close.');
    expect(missing.length).toBe(calm.checks.filter((c) => c.skipped).length);
  });
});

describe('AlvhPanel across updates', () => {
  it('a fill typed into a ticket stays when the plan re-sizes it; a ticket with other legs starts empty', () => {
    const tk = spike.tickets[0]!;
    const resized: HedgePlan = {
      ...spike,
      tickets: spike.tickets.map((t, i) =>
        i === 0 ? { ...t, quantity: t.quantity + 1, id: t.id.replace(/x\d+$/, `x${t.quantity + 1}`) } : t,
      ),
    };
    expect(resized.tickets[0]!.id).not.toBe(tk.id);
    const el = show(<AlvhPanel plan={spike} onAddHedge={() => undefined} />);
    toggleAll(el);
    const card = () =>
      [...el.querySelectorAll('article')].find((a) =>
        a.getAttribute('aria-label')!.startsWith(`${STRUCTURE_LABEL[tk.structure]} ×`),
      )!;
    const first = card();
    const input = first.querySelector<HTMLInputElement>('input.hl-fill-input')!;
    act(() => {
      input.value = '1.23';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => render(<AlvhPanel plan={resized} onAddHedge={() => undefined} />, host));
    // The same card, re-sized, the typed fill kept.
    expect(card()).toBe(first);
    expect(card().getAttribute('aria-label')).toBe(`${STRUCTURE_LABEL[tk.structure]} × ${tk.quantity + 1}`);
    expect(card().querySelector<HTMLInputElement>('input.hl-fill-input')!.value).toBe('1.23');
    // Other legs: another ticket, nothing typed in it.
    const moved: HedgePlan = {
      ...spike,
      tickets: spike.tickets.map((t, i) =>
        i === 0 ? { ...t, legs: t.legs.map((l) => ({ ...l, occ: `${l.occ}X` })), id: `${t.id}-moved` } : t,
      ),
    };
    act(() => render(<AlvhPanel plan={moved} onAddHedge={() => undefined} />, host));
    expect(card()).not.toBe(first);
    expect(card().querySelector<HTMLInputElement>('input.hl-fill-input')!.value).toBe('');
  });

  it('a reference ticket, once opened, keeps what was typed in it when its section is closed and opened again', () => {
    const el = show(<AlvhPanel plan={calm} onAddHedge={() => undefined} />);
    toggleAll(el);
    const input = () => el.querySelector<HTMLInputElement>('.hl-alvh-more article input.hl-fill-input')!;
    act(() => {
      input().value = '2.05';
      input().dispatchEvent(new Event('input', { bubbles: true }));
    });
    toggleAll(el, false);
    act(() => render(<AlvhPanel plan={{ ...calm }} onAddHedge={() => undefined} />, host));
    toggleAll(el);
    expect(input().value).toBe('2.05');
  });
});
