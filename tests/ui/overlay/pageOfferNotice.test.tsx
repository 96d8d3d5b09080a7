// @vitest-environment happy-dom
/**
 * The notice of the page's positions: what it says of an offer, the button only where the legs hold a condor, and
 * page-derived text (a row the page could not read) shown as text, never as markup.
 */
import { render } from 'preact';
import { afterEach, expect, it, vi } from 'vitest';
import type { PageOffer } from '../../../src/engine/session';
import { PageOfferNotice } from '../../../src/ui/overlay/PageOfferNotice';

const OFFER: PageOffer = {
  underlying: 'SPX',
  positions: ['SPX 2025-10-24 iron condor'],
  legs: 4,
  condors: 1,
  condor: { expiry: '2025-10-24', strikes: [5700, 5800, 6900, 7000], quantity: 2, credit: 4.05 },
  besideLegs: 0,
  reason: null,
  notes: [],
  notUsed: ['QQQ 2025-11-21 560 put +2: another underlying than SPX'],
  rejected: [{ row: 5, text: '<img src=x onerror="alert(1)">', reason: 'names no option' }],
  inUse: false,
  replaces: { hedges: 0, journal: 0 },
};

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});
const show = (offer: PageOffer | null, onUse = () => undefined) => {
  host = document.createElement('div');
  document.body.append(host);
  render(<PageOfferNotice offer={offer} onUse={onUse} />, host);
  return host;
};

it('names the condor found, the legs left out and the rows not read; the button uses it', () => {
  const onUse = vi.fn();
  const el = show(OFFER, onUse);
  expect(el.querySelector('[data-testid="page-offer-found"]')!.textContent).toBe(
    'SPX 24 Oct 5,700/5,800/6,900/7,000 ×2 @ 4.05',
  );
  expect(el.textContent).toContain('(4 legs, 1 condor)');
  expect(el.textContent).toContain('QQQ 2025-11-21 560 put +2: another underlying than SPX');
  expect(el.querySelector('summary')!.textContent).toBe('1 row of the page not read');
  expect(el.querySelector('[data-testid="page-offer-replaces"]')).toBeNull(); // nothing held to replace
  // The page's text is text: no element made from it.
  expect(el.querySelector('img')).toBeNull();
  expect(el.textContent).toContain('<img src=x onerror="alert(1)">');
  const button = el.querySelector('button')!;
  expect(button.textContent).toBe('Use as my position');
  button.click();
  expect(onUse).toHaveBeenCalledTimes(1);
});

it('says what using it replaces when the overlay holds hedges and a journal', () => {
  const el = show({ ...OFFER, replaces: { hedges: 1, journal: 2 } });
  expect(el.querySelector('[data-testid="page-offer-replaces"]')!.textContent).toBe(
    "Using it replaces the overlay's 1 hedge and its journal (2 entries).",
  );
});

it('legs without a condor: why, and no button', () => {
  const el = show({
    ...OFFER,
    condor: null,
    condors: 0,
    positions: ['SPX 2025-10-24 put vertical'],
    reason: 'it holds no iron condor',
  });
  expect(el.querySelector('[data-testid="page-offer-found"]')!.textContent).toBe('SPX 2025-10-24 put vertical');
  expect(el.textContent).toContain('Cannot be the position: it holds no iron condor.');
  expect(el.querySelector('button')).toBeNull();
});

it('in use: a quiet line, the legs left out still named; nothing without an offer', () => {
  const el = show({ ...OFFER, inUse: true });
  expect(el.textContent).toContain('The position is the one this page lists (4 legs).');
  expect(el.textContent).toContain('QQQ 2025-11-21 560 put +2');
  expect(el.querySelector('button')).toBeNull();
  render(null, el);
  render(<PageOfferNotice offer={null} onUse={() => undefined} />, el);
  expect(el.textContent).toBe('');
});
