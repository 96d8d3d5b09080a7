import type { ImportReport, RefusalCode } from '../../storage/exportImport';

const CODE_LABEL: Record<RefusalCode, string> = {
  invalid: 'invalid',
  newer: 'from a newer HedgeLens',
  duplicate: 'duplicate',
  'id-conflict': 'id already used',
  quota: 'storage full',
  'write-failed': 'write failed',
};

/** What an import took and what it refused, entry by entry, with the reason. */
export function ImportReportView({ report, fileName }: { report: ImportReport; fileName: string }) {
  if (!report.ok) {
    return (
      <section class="hl-section hl-snap-import" aria-label="Import report" data-testid="import-report">
        <p class="hl-error" role="alert">
          Nothing imported from {fileName}: {report.message}
        </p>
      </section>
    );
  }
  const taken = report.taken.length;
  const refused = report.refused.length;
  return (
    <section class="hl-section hl-snap-import" aria-label="Import report" data-testid="import-report">
      <p role="status" data-testid="import-summary">
        Imported {taken} of {report.total} snapshot{report.total === 1 ? '' : 's'} from {fileName}
        {refused > 0 ? `; ${refused} refused` : ''}.
      </p>
      {taken > 0 && (
        <details>
          <summary>Taken ({taken})</summary>
          <ul class="hl-snap-report-list hl-num" data-testid="import-taken">
            {report.taken.map((t) => (
              <li key={t.index}>
                #{t.index + 1} {t.id}
                {t.fromId ? ` (was ${t.fromId})` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      {refused > 0 && (
        <ul class="hl-snap-report-list" data-testid="import-refused" aria-label="Refused entries">
          {report.refused.map((r) => (
            <li key={r.index}>
              <span class="hl-num">
                #{r.index + 1} {r.id ?? '(no id)'}
              </span>{' '}
              <b>{CODE_LABEL[r.code]}</b>: {r.reason}
            </li>
          ))}
        </ul>
      )}
      {report.quarantinedInFile > 0 && (
        <p class="hl-muted hl-hint">
          The file also carries {report.quarantinedInFile} quarantined entr
          {report.quarantinedInFile === 1 ? 'y' : 'ies'} (damaged records kept as they were): they stay in the file and
          are not imported.
        </p>
      )}
      {report.usage?.warning && <p class="hl-snap-warning">{report.usage.warning}</p>}
    </section>
  );
}
