import type { SiteAdapter } from './types';

/** A WebExtension-style match pattern ("*://*.example.com/path*") as a RegExp; null when malformed. */
export function patternToRegExp(pattern: string): RegExp | null {
  const m = /^(\*|https?):\/\/(\*|(?:\*\.)?[a-z0-9.-]+)(\/.*)$/i.exec(pattern);
  if (!m) return null;
  const [, scheme, host, path] = m as unknown as [string, string, string, string];
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const schemeRe = scheme === '*' ? 'https?' : scheme;
  let hostRe: string;
  if (host === '*') hostRe = '[^/]+';
  else if (host.startsWith('*.')) hostRe = `(?:[^/]+\\.)?${esc(host.slice(2))}`;
  else hostRe = esc(host);
  const pathRe = path.split('*').map(esc).join('.*');
  return new RegExp(`^${schemeRe}://${hostRe}${pathRe}$`, 'i');
}

export function adapterForUrl(adapters: readonly SiteAdapter[], url: string): SiteAdapter | null {
  for (const a of adapters) for (const p of a.urlPatterns) if (patternToRegExp(p)?.test(url)) return a;
  return null;
}

export function adapterForPage(adapters: readonly SiteAdapter[], root: ParentNode): SiteAdapter | null {
  for (const a of adapters) for (const sel of a.detect ?? []) if (safeQuery(root, sel)) return a;
  return null;
}

export function safeQuery(root: ParentNode, selector: string): Element | null {
  try {
    return root.querySelector(selector);
  } catch {
    return null;
  }
}
