/**
 * Saving a file from an extension page without any network: a Blob URL on an `<a download>`, clicked, then
 * revoked. The document and URL API are parameters so tests can hand in a happy-dom window.
 */
export interface DownloadDeps {
  doc?: Document;
  urlApi?: Pick<typeof URL, 'createObjectURL' | 'revokeObjectURL'>;
  /** Revoke after this many ms (the browser must have started reading the blob). */
  revokeAfterMs?: number;
}

export function downloadText(
  { text, fileName, mimeType }: { text: string; fileName: string; mimeType: string },
  { doc = globalThis.document, urlApi = globalThis.URL, revokeAfterMs = 60_000 }: DownloadDeps = {},
): { href: string; fileName: string } {
  const blob = new Blob([text], { type: mimeType });
  const href = urlApi.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = href;
  a.download = fileName;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => urlApi.revokeObjectURL(href), revokeAfterMs);
  return { href, fileName };
}
