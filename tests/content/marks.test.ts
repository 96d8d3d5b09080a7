import { describe, expect, test } from 'vitest';
import { Window } from 'happy-dom';
import fc from 'fast-check';
import { createMarker, markTokens, MARK_ATTR } from '../../src/content/marks';

const STRIKES = Array.from({ length: 41 }, (_, i) => 600 + i * 5); // 600 … 800

function page() {
  const window = new Window();
  const doc = window.document as unknown as Document;
  doc.body.append(doc.createElement('table'));
  const table = doc.querySelector('table')!;
  const tbody = doc.createElement('tbody');
  table.append(tbody);
  // Build rows without any HTML parsing of page text: cells by createElement/textContent.
  for (const k of STRIKES) {
    const tr = doc.createElement('tr');
    for (const text of ['1.10', '1.20', String(k), '0.90', '1.00']) {
      const td = doc.createElement('td');
      td.textContent = text;
      if (text === String(k)) td.className = 'strike';
      tr.append(td);
    }
    tbody.append(tr);
  }
  return { window, doc, tbody };
}

const marked = (doc: Document, token: string) =>
  Array.from(doc.querySelectorAll(`[${MARK_ATTR}~="${token}"] td.strike`)).map((td) => Number(td.textContent));

const spec = {
  legs: [640, 650, 750, 760],
  breakevens: [648.2, 752.5] as [number, number],
  expectedMove: [690, 712] as [number, number],
  hedges: [],
};

describe('marks on the broker’s rows', () => {
  test('tokens: legs, the rows just past each breakeven, the expected-move band', () => {
    const t = markTokens(STRIKES, spec);
    expect(t.get(640)).toEqual(['leg']);
    expect(t.get(645)).toEqual(['be']); // last strike at or below 648.2
    expect(t.get(755)).toEqual(['be']); // first strike at or above 752.5
    expect([...t.entries()].filter(([, v]) => v.includes('em')).map(([k]) => k)).toEqual([690, 695, 700, 705, 710]);
  });

  test('applies once, then an unchanged update touches nothing; a changed one re-marks', async () => {
    const { window, doc } = page();
    const marker = createMarker(doc, doc);
    expect(marker.apply(STRIKES, spec)).toBe(11);
    expect(marked(doc, 'leg')).toEqual([640, 650, 750, 760]);
    expect(marked(doc, 'be')).toEqual([645, 755]);
    const records: unknown[] = [];
    const mo = new window.MutationObserver((r) => records.push(...r));
    mo.observe(doc.body as never, { attributes: true, subtree: true });
    expect(marker.apply(STRIKES, { ...spec, expectedMove: [688, 714] })).toBe(11); // same strikes in the band
    await new Promise((r) => setTimeout(r, 0));
    expect(records).toHaveLength(0);
    marker.apply(STRIKES, { ...spec, legs: [630, 640, 760, 770] });
    expect(marked(doc, 'leg')).toEqual([630, 640, 760, 770]);
    mo.disconnect();
  });

  test('when the page replaces its rows, the marks follow the new rows', () => {
    const { doc, tbody } = page();
    const marker = createMarker(doc, doc);
    marker.apply(STRIKES, spec);
    // The page redraws the row of 650 (same strike, new element).
    const old = Array.from(tbody.children).find((tr) => tr.querySelector('.strike')!.textContent === '650')!;
    const fresh = old.cloneNode(true) as Element;
    fresh.removeAttribute(MARK_ATTR);
    old.replaceWith(fresh);
    marker.apply(STRIKES, spec);
    expect(marked(doc, 'leg')).toEqual([640, 650, 750, 760]);
    expect(fresh.getAttribute(MARK_ATTR)).toBe('leg');
  });

  test('clear removes every mark; no number is ever written into the page', () => {
    const { doc } = page();
    const marker = createMarker(doc, doc);
    const before = doc.body.textContent;
    marker.apply(STRIKES, spec);
    expect(doc.body.textContent).toBe(before);
    marker.clear();
    expect(doc.querySelectorAll(`[${MARK_ATTR}]`)).toHaveLength(0);
  });
});

describe('marks following a live chain', () => {
  test('the band moving by one strike changes two rows, nothing else', async () => {
    const { window, doc } = page();
    const marker = createMarker(doc, doc);
    marker.apply(STRIKES, spec);
    const records: MutationRecord[] = [];
    const mo = new window.MutationObserver((r) => records.push(...(r as unknown as MutationRecord[])));
    mo.observe(doc.body as never, { attributes: true, subtree: true });
    marker.apply(STRIKES, { ...spec, expectedMove: [695, 717] }); // 690 leaves the band, 715 joins it
    await new Promise((r) => setTimeout(r, 0));
    mo.disconnect();
    expect(records).toHaveLength(2);
    expect(marked(doc, 'em')).toEqual([695, 700, 705, 710, 715]);
    expect(marked(doc, 'leg')).toEqual([640, 650, 750, 760]);
  });

  test('a row the page re-used for another strike is found again, and other tokens (picking) are kept', () => {
    const { doc, tbody } = page();
    const marker = createMarker(doc, doc);
    marker.apply(STRIKES, spec);
    const row640 = Array.from(tbody.children).find((tr) => tr.querySelector('.strike')!.textContent === '640')!;
    const row600 = tbody.children[0]!;
    // A virtualised grid: the element that showed 640 now shows 600, and the one that showed 600 shows 640.
    row640.querySelector('.strike')!.textContent = '600';
    row600.querySelector('.strike')!.textContent = '640';
    row600.setAttribute(MARK_ATTR, 'pick');
    marker.apply(STRIKES, { ...spec, expectedMove: [695, 712] }); // the marks change: the rows are looked up again
    expect(marked(doc, 'leg')).toEqual([640, 650, 750, 760]); // 640 is now shown by the table's first row
    expect(row600.getAttribute(MARK_ATTR)).toBe('pick leg');
    expect(row640.hasAttribute(MARK_ATTR)).toBe(false);
  });
});

describe('marks shortcut (band edges as indices)', () => {
  test('property: after any sequence of specs the rows carry exactly the tokens markTokens gives', () => {
    const { window, doc } = page();
    const marker = createMarker(doc, doc);
    const price = fc.double({ min: 590, max: 810, noNaN: true });
    const spec = fc.record({
      legs: fc.subarray(STRIKES, { maxLength: 4 }),
      breakevens: fc.option(fc.tuple(price, price), { nil: null }),
      expectedMove: fc.option(fc.tuple(price, price), { nil: null }),
      hedges: fc.constant([] as number[]),
    });
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 12 }), (specs) => {
        for (const s of specs) {
          marker.apply(STRIKES, s);
          const want = markTokens(STRIKES, s);
          for (const token of ['leg', 'be', 'em'])
            expect(marked(doc, token)).toEqual(
              [...want.entries()]
                .filter(([, ts]) => ts.includes(token))
                .map(([k]) => k)
                .sort((a, b) => a - b),
            );
        }
      }),
    );
    void window.happyDOM.close();
  });

  test('property: within one generation, updating only the strikes that can change gives exactly the full result', () => {
    const price = fc.double({ min: 590, max: 810, noNaN: true });
    const spec = fc.record({
      // Repeats allowed: an iron fly's two short legs share a strike.
      legs: fc.array(fc.constantFrom(...STRIKES), { maxLength: 4 }),
      breakevens: fc.option(fc.tuple(price, price), { nil: null }),
      expectedMove: fc.option(fc.tuple(price, price), { nil: null }),
      hedges: fc.array(fc.constantFrom(...STRIKES), { maxLength: 2 }),
    });
    const attrs = (tbody: Element) => Array.from(tbody.children).map((tr) => tr.getAttribute(MARK_ATTR));
    let generation = 1;
    let incremental = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(spec, fc.boolean()), { minLength: 1, maxLength: 16 }), (steps) => {
        const a = page();
        const b = page();
        const trusting = createMarker(a.doc, a.doc);
        const checking = createMarker(b.doc, b.doc);
        for (const [s, newGeneration] of steps) {
          if (newGeneration) generation++;
          const before = attrs(a.tbody);
          trusting.apply(STRIKES, s, generation);
          checking.apply(STRIKES, s);
          expect(attrs(a.tbody)).toEqual(attrs(b.tbody));
          if (!newGeneration && before.join() !== attrs(a.tbody).join()) incremental++;
        }
        void a.window.happyDOM.close();
        void b.window.happyDOM.close();
      }),
    );
    // The generation path really ran (and changed marks), not only the full one.
    expect(incremental).toBeGreaterThan(20);
  });

  test('within one generation an update reads no row it does not change (the reader vouches for them)', async () => {
    const { window, doc, tbody } = page();
    const marker = createMarker(doc, doc);
    marker.apply(STRIKES, spec, 7);
    // A row the reader vouches for: the marker does not look at it again. Its text changed behind the reader's
    // back here only to show that nothing re-read it (a real reader would have given a new generation).
    const row700 = Array.from(tbody.children).find((tr) => tr.querySelector('.strike')!.textContent === '700')!;
    const records: MutationRecord[] = [];
    const mo = new window.MutationObserver((r) => records.push(...(r as unknown as MutationRecord[])));
    mo.observe(doc.body as never, { attributes: true, subtree: true });
    marker.apply(STRIKES, { ...spec, expectedMove: [695, 717] }, 7); // 690 leaves, 715 joins
    await new Promise((r) => setTimeout(r, 0));
    expect(records.map((r) => (r.target as Element).querySelector('.strike')!.textContent).sort()).toEqual([
      '690',
      '715',
    ]);
    expect(row700.getAttribute(MARK_ATTR)).toBe('em');
    // A new generation: every mark is checked again (here: a row replaced by the page gets its mark back).
    const fresh = row700.cloneNode(true) as Element;
    fresh.removeAttribute(MARK_ATTR);
    row700.replaceWith(fresh);
    marker.apply(STRIKES, { ...spec, expectedMove: [695, 717] }, 7);
    expect(fresh.hasAttribute(MARK_ATTR)).toBe(false); // same generation: trusted, not looked at
    marker.apply(STRIKES, { ...spec, expectedMove: [695, 717] }, 8);
    expect(fresh.getAttribute(MARK_ATTR)).toBe('em');
    mo.disconnect();
  });

  test("with the reader's rows the page is not scanned; where the reader has no row, it is", () => {
    const { doc, tbody } = page();
    const marker = createMarker(doc, doc);
    let scans = 0;
    const qsa = doc.querySelectorAll.bind(doc);
    doc.querySelectorAll = ((sel: string) => {
      if (sel.startsWith('tr,')) scans++; // strikeRows' query
      return qsa(sel);
    }) as typeof doc.querySelectorAll;
    const trs = Array.from(tbody.children);
    // The reader knows every row but the one of 700.
    const rowAt = (i: number) => (STRIKES[i] === 700 ? null : trs[i]!);
    marker.apply(STRIKES, { ...spec, expectedMove: [690, 697] }, 1, rowAt);
    expect(scans).toBe(0);
    expect(marked(doc, 'leg')).toEqual([640, 650, 750, 760]);
    expect(marked(doc, 'em')).toEqual([690, 695]);
    marker.apply(STRIKES, { ...spec, expectedMove: [690, 702] }, 1, rowAt); // 700 joins: found by a scan
    expect(scans).toBe(1);
    expect(marked(doc, 'em')).toEqual([690, 695, 700]);
  });
});
