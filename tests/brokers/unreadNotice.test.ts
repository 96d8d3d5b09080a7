/**
 * Never silent: the reader says when a page holds a chain-like table it could not read (ReadResult.chainLike),
 * and the content script's notice (src/content/unreadNotice.ts) offers Teach / Report this page, showing the
 * report before it is saved.
 */
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readChain } from '../../src/brokers/index';
import { readChainFromHtml } from '../../src/brokers/node';
import { reportPage, seededRandom } from '../../src/brokers/report';
import { initUnreadNotice } from '../../src/content/unreadNotice';

/** A chain the reader cannot read: calls and puts in one list, nothing saying which row is which. */
const UNREADABLE = `<h1>Option quotes</h1><p>Account 55512345</p>
<table><thead><tr><th>Strike</th><th>Bid</th><th>Ask</th><th>Volume</th></tr></thead>
<tbody><tr><td>100</td><td>1.10</td><td>1.20</td><td>5</td></tr><tr><td>105</td><td>0.60</td><td>0.70</td><td>9</td></tr></tbody></table>`;

describe('chainLike: a chain-like table the reader could not read', () => {
  it('is said for a chain table with no way to tell calls from puts, not for a page without one', () => {
    const r = readChainFromHtml(UNREADABLE);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.chainLike).toBe(true);
    const none = readChainFromHtml(
      '<table><tr><th>Name</th><th>Price</th></tr><tr><td>Gold</td><td>2,400.10</td></tr></table>',
    );
    expect(!none.ok && none.chainLike).toBeUndefined();
  });
});

describe('the unread-chain notice', () => {
  const window = new Window({
    url: 'https://broker.example/chain?acct=1',
    settings: { disableJavaScriptEvaluation: true },
  });
  const doc = window.document as unknown as Document;
  afterAll(() => window.happyDOM.close());
  // The notice's shadow root is closed (page scripts cannot reach it): the test keeps a handle on it.
  const roots: ShadowRoot[] = [];
  const attach = window.HTMLElement.prototype.attachShadow;
  window.HTMLElement.prototype.attachShadow = function (this: never, init: ShadowRootInit) {
    const root = attach.call(this, init) as unknown as ShadowRoot;
    roots.push(root);
    return root as never;
  };
  const button = (root: ShadowRoot, text: string) =>
    Array.from(root.querySelectorAll('button')).find((b) => b.textContent === text)!;

  it('one line with Teach and Report; Report shows the anonymised page, Save hands it over; abort removes it', () => {
    doc.body.innerHTML = UNREADABLE;
    const r = readChain(doc);
    if (r.ok || !r.chainLike) throw new Error('expected an unread chain');
    const saved: { html: string; name: string }[] = [];
    const onTeach = vi.fn();
    const ac = new AbortController();
    initUnreadNotice({
      doc,
      reason: r.reason,
      onTeach,
      signal: ac.signal,
      buildReport: () => reportPage(doc, { random: seededRandom(1) }),
      save: (html, name) => saved.push({ html, name }),
    });
    const root = roots.at(-1)!;
    expect(root.querySelector('.line')?.textContent).toMatch(/could not read/);
    button(root, 'Report this page').click();
    const pre = root.querySelector('.preview pre')!;
    // What will be saved is shown first, as text.
    expect(pre.textContent).toMatch(/<th>Strike<\/th>/);
    expect(pre.textContent).not.toMatch(/55512345|1\.10|Account/);
    expect(saved).toEqual([]);
    button(root, 'Save report').click();
    expect(saved).toHaveLength(1);
    expect(saved[0]!.html).toBe(pre.textContent);
    expect(saved[0]!.name).toMatch(/^hedgelens-report-broker\.example-\d{4}-\d{2}-\d{2}\.html$/);
    expect(root.querySelector('.preview')).toBeNull();
    // The report reads as the same table (same strikes), still not readable for the same reason.
    const again = readChainFromHtml(saved[0]!.html);
    expect(!again.ok && again.chainLike).toBe(true);
    ac.abort();
    expect(doc.querySelector('hedgelens-notice')).toBeNull();
  });

  it('Teach this page closes the line and starts teach mode', () => {
    doc.body.innerHTML = UNREADABLE;
    const onTeach = vi.fn();
    const stop = initUnreadNotice({ doc, reason: 'x', onTeach });
    button(roots.at(-1)!, 'Teach this page').click();
    expect(onTeach).toHaveBeenCalledTimes(1);
    expect(doc.querySelector('hedgelens-notice')).toBeNull();
    stop();
  });
});
