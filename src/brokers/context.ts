/**
 * Context a one-sided listing gives outside its rows: the page's Calls/Puts selector ("Chain Type: Puts", a
 * pressed "Puts" tab), and option symbols that only the rows' links carry (href=…optsym=SPY 220511P00383000
 * while the cell shows "SPY"). Read once, when a grid is planned; never per row update.
 */
import { cellText, findOccSymbol, type OccSymbol } from './cellText';
import { sideWord, type Side } from './headers';

/** "Chain Type: Puts", "Show: Calls only", "Option type - Calls": a label whose value is one side. */
const LABELLED_SIDE =
  /\b(?:chain|option|contract)?\s*(?:type|side|view|show(?:ing)?|chain)\s*[:=-]\s*(calls?|puts?)(?:\s+only)?$/i;

/**
 * The side a page selector has picked, with the text that said it, or null when none is picked or both
 * sides are (a "Calls & Puts" view, or two controls that disagree).
 */
export function selectedSide(near: Element): { side: Side; text: string } | null {
  const doc = near.ownerDocument;
  if (!doc) return null;
  const found: { side: Side; text: string }[] = [];
  // <select>: the selected option (the live choice when a browser runs the page, the attribute otherwise).
  for (const sel of Array.from(doc.querySelectorAll('select')).slice(0, 40)) {
    const s = sel as HTMLSelectElement;
    const opt =
      (typeof s.selectedIndex === 'number' && s.selectedIndex >= 0 ? s.options?.[s.selectedIndex] : null) ??
      sel.querySelector('option[selected]');
    if (!opt) continue;
    const t = cellText(opt);
    const side = sideWord(t);
    if (!side) continue;
    const label = labelOf(sel);
    found.push({ side, text: label ? `${label}: ${t}` : t });
  }
  // Tabs, toggles, radio buttons that say which side is on show.
  const picked = doc.querySelectorAll(
    '[aria-selected="true"],[aria-pressed="true"],[aria-checked="true"],[aria-current="true"],[aria-current="page"],input:checked',
  );
  for (const el of Array.from(picked).slice(0, 60)) {
    const t = el.tagName.toLowerCase() === 'input' ? labelOf(el) : cellText(el);
    if (!t || t.length > 30) continue;
    const side = sideWord(t);
    if (side) found.push({ side, text: t });
  }
  // Plain text: "Chain Type: Puts".
  if (found.length === 0) {
    let seen = 0;
    for (const el of Array.from(doc.querySelectorAll('div,span,p,label,li,h2,h3,h4,strong,b,td'))) {
      if (++seen > 3000) break;
      if (el.childElementCount > 3 || el.closest('table tr td table')) continue;
      const t = cellText(el);
      if (t.length > 40) continue;
      const m = LABELLED_SIDE.exec(t);
      if (m) found.push({ side: m[1]!.toLowerCase().startsWith('c') ? 'call' : 'put', text: t });
    }
  }
  const sides = new Set(found.map((f) => f.side));
  return sides.size === 1 ? found[0]! : null;
}

function labelOf(el: Element): string {
  const aria = el.getAttribute('aria-label');
  if (aria) return aria.trim();
  const doc = el.ownerDocument;
  if (el.id && doc) {
    const lab = doc.querySelector(`label[for="${el.id.replace(/["\\]/g, '')}"]`);
    if (lab) return cellText(lab);
  }
  const wrap = el.closest('label');
  if (wrap) return cellText(wrap);
  const prev = el.previousElementSibling;
  const t = prev ? cellText(prev) : '';
  return t.length <= 30 ? t.replace(/\s*:\s*$/, '') : '';
}

/** An OCC option symbol in the target of a link in the cell (decoded: "optsym=SPY%20220511P00383000"). */
export function occInLink(cell: Element): OccSymbol | null {
  const a = cell.tagName.toLowerCase() === 'a' ? cell : cell.querySelector('a[href]');
  const href = a?.getAttribute('href');
  if (!href) return null;
  let text = href.replace(/\+/g, ' ');
  try {
    text = decodeURIComponent(text);
  } catch {
    /* a malformed escape: read it as written */
  }
  return findOccSymbol(text);
}
