import { useEffect, useState } from 'preact/hooks';
import type { TeachProfile } from '../../shared/teachProfile';
import { deleteProfile, exportProfiles, importProfiles, listProfiles } from '../../storage/profiles';
import { datedFileName, downloadText, readFileText } from './files';
import { Status, type StatusValue } from './Status';

function columnsText(p: TeachProfile): string {
  return [...p.columns]
    .sort((a, b) => a.index - b.index)
    .map((c) => `${c.index + 1}: ${c.side ? `${c.side} ` : ''}${c.field}`)
    .join(', ');
}

/** Teach-mode profiles, one per site: list, delete (with a confirm step), export, import. */
export function ProfilesSection() {
  const [profiles, setProfiles] = useState<TeachProfile[] | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [pendingDelete, setPendingDelete] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusValue>(null);
  const [refused, setRefused] = useState<string[]>([]);

  const refresh = async () => {
    const l = await listProfiles();
    setProfiles(l.profiles);
    setProblems(l.problems);
  };
  useEffect(() => {
    void refresh();
  }, []);

  const onDelete = async (host: string) => {
    if (pendingDelete !== host) return setPendingDelete(host);
    setPendingDelete(null);
    const r = await deleteProfile(host);
    setStatus(r.ok ? { kind: 'saved', text: `Deleted the profile for ${host}.` } : { kind: 'error', text: r.message });
    await refresh();
    document.getElementById('prof-export')?.focus();
  };

  const onExport = async () => {
    const data = await exportProfiles();
    const name = datedFileName('hedgelens-profiles');
    downloadText({ fileName: name, text: `${JSON.stringify(data, null, 2)}\n` });
    setStatus({ kind: 'info', text: `Downloaded ${name} (${data.profiles.length} profiles).` });
  };

  const onImport = async (ev: Event) => {
    const input = ev.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const r = await importProfiles(await readFileText(file));
    input.value = '';
    setRefused(r.refused.map((x) => `${x.host ?? `entry ${x.index + 1}`}: ${x.reason}`));
    if (!r.ok) setStatus({ kind: 'error', text: `${file.name} was not imported: ${r.message ?? ''}` });
    else
      setStatus({
        kind: r.taken.length > 0 ? 'saved' : 'error',
        text: `${file.name}: ${r.taken.length} taken${r.taken.some((t) => t.replaced) ? ` (${r.taken.filter((t) => t.replaced).length} replaced an existing one)` : ''}, ${r.refused.length} refused${r.refused.length ? ' (reasons below)' : ''}.`,
      });
    await refresh();
  };

  return (
    <section class="hl-section" aria-labelledby="prof-title">
      <h2 id="prof-title" class="hl-title">
        Teach-mode profiles
      </h2>
      <p class="hl-muted">
        Layouts you taught HedgeLens on sites it does not know, one per site. Teach a site from the overlay on its page.
      </p>
      {problems.map((p) => (
        <p key={p} class="hl-error">
          {p}
        </p>
      ))}
      {profiles === null ? (
        <p class="hl-muted">Reading profiles…</p>
      ) : profiles.length === 0 ? (
        <p class="hl-muted" data-testid="profiles-empty">
          No profiles yet.
        </p>
      ) : (
        <table class="hlo-profiles" data-testid="profiles">
          <caption class="hlo-sr">Teach-mode profiles by site</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Columns (cell: field)</th>
              <th scope="col">Taught</th>
              <th scope="col">
                <span class="hlo-sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((p) => (
              <tr key={p.host}>
                <th scope="row">
                  {p.host}
                  <code class="hlo-source">{p.rowSelector}</code>
                </th>
                <td>{columnsText(p)}</td>
                <td>{p.createdAt ? new Date(p.createdAt).toLocaleDateString() : '—'}</td>
                <td>
                  <button
                    type="button"
                    class={`hl-btn${pendingDelete === p.host ? ' hlo-danger' : ''}`}
                    aria-label={
                      pendingDelete === p.host
                        ? `Confirm: delete the profile for ${p.host}`
                        : `Delete the profile for ${p.host}`
                    }
                    onClick={() => void onDelete(p.host)}
                    onBlur={() => setPendingDelete((h) => (h === p.host ? null : h))}
                  >
                    {pendingDelete === p.host ? 'Confirm delete' : 'Delete'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="hlo-actions">
        <button id="prof-export" type="button" class="hl-btn" onClick={() => void onExport()}>
          Export profiles
        </button>
        <span class="hlo-file">
          <label for="prof-import">Import profiles (JSON)</label>
          <input id="prof-import" type="file" accept=".json,application/json" onChange={onImport} />
        </span>
      </div>
      <Status value={status} testId="profiles-status" />
      {refused.length > 0 && (
        <ul class="hl-error" aria-label="Profiles refused">
          {refused.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
