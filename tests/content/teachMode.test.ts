// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { handleBackgroundMessage } from '../../src/background/main';
import { readChain } from '../../src/brokers';
import type { TeachProfile } from '../../src/shared/teachProfile';
import {
  startTeachMode,
  TEACH_ATTR,
  TEACH_STYLE_ID,
  TEACH_TAG,
  TEACHING_ATTR,
  type TeachSession,
} from '../../src/content/teachMode';
import { getProfile, listProfiles, saveProfile } from '../../src/storage/profiles';

const HOST = 'desk.example:8443';
const NOW = new Date('2026-05-01T14:00:00Z');
/** call bid, call ask, strike, put bid, put ask */
const ROWS: [number, number, number, number, number][] = [
  [14.1, 14.4, 500, 1.9, 2.05],
  [9.8, 10.05, 505, 2.95, 3.1],
  [6.2, 6.4, 510, 4.3, 4.5],
  [3.45, 3.6, 515, 6.55, 6.8],
  [1.7, 1.85, 520, 9.8, 10.1],
];

/** A broker-like page the generic detector cannot read: div rows, no header words, the expiry in a heading. */
function buildPage(doc: Document) {
  doc.head.replaceChildren();
  doc.body.replaceChildren();
  doc.title = 'QQQ · Desk';
  const h1 = doc.createElement('h1');
  h1.textContent = 'QQQ 511.30';
  const h2 = doc.createElement('h2');
  h2.textContent = 'QQQ options, expiring May 15, 2026';
  const board = doc.createElement('div');
  board.id = 'board';
  for (const r of ROWS) {
    const row = doc.createElement('div');
    row.className = 'ln';
    r.forEach((v, i) => {
      const cell = doc.createElement(i === 2 ? 'b' : 'span');
      // The strike's text sits in a nested element, as on many broker pages.
      if (i === 2) cell.append(Object.assign(doc.createElement('em'), { textContent: String(v) }));
      else cell.textContent = v.toFixed(2);
      row.append(cell);
    });
    board.append(row);
  }
  doc.body.append(h1, h2, board);
  return { rows: Array.from(board.children) };
}

const click = (el: Element) =>
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
const partText = (s: TeachSession, part: string) =>
  (s.ui.querySelector(`[data-part="${part}"]`)?.textContent ?? '').replace(/\s+/g, ' ').trim();
const buttons = (s: TeachSession) => Array.from(s.ui.querySelectorAll('button')).map((b) => b.textContent);
const buttonNamed = (s: TeachSession, name: string) => {
  const b = Array.from(s.ui.querySelectorAll('button')).find((x) => x.textContent === name);
  if (!b) throw new Error(`no button "${name}" in ${JSON.stringify(buttons(s))}`);
  return b;
};
/** Nothing of teach mode left in the page. */
function expectNoTrace(doc: Document) {
  expect(doc.querySelectorAll(TEACH_TAG)).toHaveLength(0);
  expect(doc.getElementById(TEACH_STYLE_ID)).toBeNull();
  expect(doc.querySelectorAll(`[${TEACH_ATTR}]`)).toHaveLength(0);
  expect(doc.documentElement.hasAttribute(TEACHING_ATTR)).toBe(false);
}

let controller: AbortController;
beforeEach(() => {
  fakeBrowser.reset();
  controller = new AbortController();
});
afterEach(() => controller.abort());

function start(extra: Partial<Parameters<typeof startTeachMode>[0]> = {}) {
  const onSaved = vi.fn<(p: TeachProfile) => void>();
  const onCancel = vi.fn<() => void>();
  const session = startTeachMode({
    doc: document,
    signal: controller.signal,
    host: HOST,
    url: `https://${HOST}/options/QQQ`,
    title: document.title,
    now: () => NOW,
    onSaved,
    onCancel,
    ...extra,
  });
  return { session, onSaved, onCancel };
}

describe('teach mode on the page', () => {
  test('two clicks → preview of what the profile reads → Save stores the profile for the site', async () => {
    const { rows } = buildPage(document);
    expect(readChain(document.body, { now: NOW }).ok).toBe(false); // the generic detector cannot read it
    // The page's own handlers must not see the teaching clicks (no order ticket opens).
    const pageClicks = vi.fn();
    document.addEventListener('click', pageClicks);
    rows[2]!.addEventListener('click', pageClicks);
    // Saved the way the content script saves: through the background, which checks the sender's host.
    fakeBrowser.runtime.onMessage.addListener(
      (m: unknown) =>
        handleBackgroundMessage(m, {
          tab: { id: 3 } as never,
          frameId: 0,
          url: `https://${HOST}/options/QQQ`,
        }) as never,
    );
    const { session, onSaved, onCancel } = start();
    expect(document.querySelectorAll(TEACH_TAG)).toHaveLength(1);
    expect(partText(session, 'step')).toBe('Click a strike cell in any row of the chain (1/2)');
    expect(document.documentElement.hasAttribute(TEACHING_ATTR)).toBe(true);

    const strike = rows[2]!.children[2]!.firstElementChild!; // the <em> inside the strike cell
    strike.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    expect(rows[2]!.children[2]!.getAttribute(TEACH_ATTR)).toBe('hover'); // the cell, not the inner <em>
    click(strike);
    expect(partText(session, 'step')).toBe('Now click the Bid of the same row (2/2)');
    expect(partText(session, 'detail')).toContain('Strike cell: 510.');
    click(rows[2]!.children[0]!); // the call bid
    expect(pageClicks).not.toHaveBeenCalled();

    expect(partText(session, 'step')).toBe('Is this the chain? Check what HedgeLens reads, then save.');
    expect(partText(session, 'count')).toBe('Reads 5 rows · strikes 500–520 · calls and puts');
    expect(Array.from(session.ui.querySelectorAll('li')).map((li) => li.textContent)).toEqual([
      '505 · call 9.80 / 10.05 · put 2.95 / 3.10',
      '510 · call 6.20 / 6.40 · put 4.30 / 4.50', // the row clicked, between its neighbours
      '515 · call 3.45 / 3.60 · put 6.55 / 6.80',
    ]);
    expect(partText(session, 'full-read')).toBe('The whole chain reads: QQQ, expiry 2026-05-15, 5 rows.');
    // The rows read are shown on the page too (a tint), every one of them.
    expect(rows.every((r) => r.getAttribute(TEACH_ATTR)?.split(' ').includes('row'))).toBe(true);
    expect(buttons(session)).toEqual([`Save for ${HOST}`, 'Try again', 'Cancel']);
    // Keyboard: the focus is on Save (Enter saves); the bar's element holds it from the page's point of view.
    expect(document.activeElement?.tagName.toLowerCase()).toBe(TEACH_TAG);

    click(buttonNamed(session, `Save for ${HOST}`));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(onCancel).not.toHaveBeenCalled();
    const stored = await getProfile(HOST);
    expect(stored).toEqual(onSaved.mock.calls[0]![0]);
    expect(stored).toMatchObject({
      host: HOST,
      rowSelector: '#board > div.ln',
      createdAt: NOW.toISOString(),
      columns: [
        { index: 2, field: 'strike', side: null },
        { index: 0, field: 'bid', side: 'call' },
        { index: 1, field: 'ask', side: 'call' },
        { index: 3, field: 'bid', side: 'put' },
        { index: 4, field: 'ask', side: 'put' },
      ],
    });
    expect(session.active).toBe(false);
    expectNoTrace(document);
    // The stored profile reads the page from now on.
    const r = readChain(document.body, { now: NOW, profile: stored! });
    expect(r.ok && r.chain.expiries[0]!.rows.map((x) => x.strike)).toEqual([500, 505, 510, 515, 520]);
  });

  test('Escape cancels: nothing saved, every node, mark and style it added removed, page clicks work again', async () => {
    const { rows } = buildPage(document);
    const { session, onSaved, onCancel } = start({ save: saveProfile });
    click(rows[1]!.children[2]!);
    click(rows[1]!.children[3]!);
    expect(partText(session, 'count')).toMatch(/^Reads 5 rows/);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSaved).not.toHaveBeenCalled();
    expect(session.active).toBe(false);
    expectNoTrace(document);
    expect((await listProfiles()).profiles).toEqual([]);
    const pageClicks = vi.fn();
    document.addEventListener('click', pageClicks);
    click(rows[0]!.children[0]!);
    expect(pageClicks).toHaveBeenCalledTimes(1);
  });

  test('two cells of different rows: the inference’s reason, and Try again starts over', () => {
    const { rows } = buildPage(document);
    const { session } = start();
    click(rows[0]!.children[2]!);
    click(rows[3]!.children[0]!);
    expect(partText(session, 'step')).toBe('HedgeLens could not read a chain from those two cells');
    expect(partText(session, 'detail')).toContain(
      'Why: the two cells are in different rows: click a strike, then the Bid of that same row.',
    );
    expect(buttons(session)).toEqual(['Try again', 'Cancel']);
    click(buttonNamed(session, 'Try again'));
    expect(partText(session, 'step')).toBe('Click a strike cell in any row of the chain (1/2)');
    expect(document.querySelectorAll(`[${TEACH_ATTR}~="strike"], [${TEACH_ATTR}~="bid"]`)).toHaveLength(0);
    click(buttonNamed(session, 'Cancel'));
    expectNoTrace(document);
  });

  test('a strike click on a cell without a number says so and waits for a strike', () => {
    buildPage(document);
    const { session } = start();
    click(document.querySelector('h2')!);
    expect(partText(session, 'step')).toBe('Click a strike cell in any row of the chain (1/2)');
    expect(partText(session, 'detail')).toContain(
      'That cell shows "QQQ options, expiring May 15, 2026", not a strike price',
    );
  });

  test('a page that does not say calls or puts: the bar asks, and the answer is used', () => {
    document.body.replaceChildren();
    document.head.replaceChildren();
    const h = Object.assign(document.createElement('h3'), { textContent: 'XYZ · Apr 17, 2026' });
    const list = Object.assign(document.createElement('ol'), { id: 'px' });
    for (const [b, a, k] of [
      [1, 1.1, 100],
      [2, 2.1, 105],
      [3, 3.2, 110],
    ]) {
      const li = document.createElement('li');
      for (const v of [b!.toFixed(2), a!.toFixed(2), String(k)])
        li.append(Object.assign(document.createElement('span'), { textContent: v }));
      list.append(li);
    }
    document.body.append(h, list);
    const { session } = start();
    const row = list.children[1]!;
    click(row.children[2]!);
    click(row.children[0]!);
    expect(partText(session, 'step')).toBe('Are these rows calls or puts?');
    expect(buttons(session)).toEqual(['Calls', 'Puts', 'Try again', 'Cancel']);
    click(buttonNamed(session, 'Puts'));
    expect(partText(session, 'count')).toBe('Reads 3 rows · strikes 100–110 · puts');
    expect(partText(session, 'detail')).toContain('Only puts are read: an iron condor needs calls and puts.');
  });

  test('the content script’s context going away removes everything, without callbacks', () => {
    const { rows } = buildPage(document);
    const { session, onSaved, onCancel } = start();
    click(rows[0]!.children[2]!);
    controller.abort();
    expect(session.active).toBe(false);
    expectNoTrace(document);
    expect(onCancel).not.toHaveBeenCalled();
    expect(onSaved).not.toHaveBeenCalled();
  });

  test('a failed save says why and keeps the preview, to save again or cancel', async () => {
    const { rows } = buildPage(document);
    const save = vi.fn(async () => ({ ok: false as const, message: 'Not saved: the storage is full.' }));
    const { session, onSaved } = start({ save });
    click(rows[0]!.children[2]!);
    click(rows[0]!.children[3]!);
    click(buttonNamed(session, `Save for ${HOST}`));
    await vi.waitFor(() => expect(partText(session, 'detail')).toContain('Not saved: the storage is full.'));
    expect(save).toHaveBeenCalledTimes(1);
    expect(onSaved).not.toHaveBeenCalled();
    expect(session.active).toBe(true);
    expect(buttonNamed(session, `Save for ${HOST}`).disabled).toBe(false);
  });
});
