/** Files in and out of the options page, without the network: a Blob URL behind an `<a download>`. */

export function downloadText(params: { fileName: string; text: string; type?: string; doc?: Document }): void {
  const doc = params.doc ?? document;
  const blob = new Blob([params.text], { type: params.type ?? 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = params.fileName;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; give the browser a moment before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file the trader picked, as text (Blob.text where it exists, FileReader otherwise). */
export function readFileText(file: Blob): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((ok, fail) => {
    const r = new FileReader();
    r.onload = () => ok(String(r.result ?? ''));
    r.onerror = () => fail(r.error ?? new Error('the file could not be read'));
    r.readAsText(file);
  });
}

/** "hedgelens-rulebook-2026-07-04.json" */
export function datedFileName(stem: string, now: Date = new Date(), ext = 'json'): string {
  return `${stem}-${now.toISOString().slice(0, 10)}.${ext}`;
}
