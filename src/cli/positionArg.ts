/**
 * `analyze CHAIN --position FILE [--position-name NAME]`: the trader's position from a broker file (any format
 * `hedgelens positions` reads), analysed on the chain through the one session. The position's iron condor is the
 * condor (its open credit the credit); every other option leg is held beside it, valued by the same leg valuation
 * as a hedge added in the overlay, with its open price as its entry. Shares and futures are listed and left out of
 * the option risk, said so.
 */
import { basename } from 'node:path';
import type { Chain } from '../chain/types.ts';
import type { PositionHedge, PositionRisk } from '../engine/session/hedges.ts';
import { heldPosition, pickPosition } from '../engine/session/heldPosition.ts';
import type { CondorCore } from '../positions/condorCore.ts';
import { importPositionsFile } from './commands/positions.ts';
import type { Leg } from '../positions/types.ts';
import { fmtDollars, fmtNumber, fmtStrike, table } from './format.ts';
import { UsageError, type CliIo } from './io.ts';

export interface ImportedPosition {
  file: string;
  format: string;
  name: string;
  core: Omit<CondorCore, 'legs'>;
  /** Legs beside the condor: options valued with it, shares/futures listed only. */
  extraLegs: Leg[];
  notes: string[];
  /** What the session gets: the condor, and the other option legs as one held group. */
  condor: { strikes: [number, number, number, number]; quantity: number; credit: number | null };
  hedges: PositionHedge[];
}

/** Reads and splits the position file for this chain; a UsageError says what is wrong and which line. */
export async function readPosition(
  io: CliIo,
  path: string,
  chain: Chain,
  name: string | undefined,
): Promise<ImportedPosition> {
  const file = basename(path);
  const result = await importPositionsFile(io, path);
  const picked = pickPosition(result.positions, chain.underlying.symbol, name);
  if (!picked.ok)
    throw new UsageError(`${file}: ${picked.reason}${picked.condors ? '; choose one with --position-name' : ''}`);
  const { main: position, beside } = picked;
  const held = heldPosition(position, beside, {
    source: file,
    besideFrom: 'the same file',
    besideHint: '--position-name takes one position alone',
    addedAt: chain.asOf ?? new Date(0).toISOString(),
  });
  if (!held.ok)
    throw new UsageError(
      `${file}: ${held.reason}. HedgeLens analyses a position around its iron condor; \`hedgelens positions ${file}\` lists its legs`,
    );
  const { core, extraLegs: extra, notes, hedges } = held;
  return {
    file,
    format: result.report.format,
    name: position.name,
    core,
    extraLegs: extra,
    notes,
    condor: held.condor,
    hedges,
  };
}

/** The human lines: where the position came from, its condor, the legs beside it, and their combined risk. */
export function positionText(p: ImportedPosition, risk: PositionRisk | null): string {
  const L: string[] = [];
  L.push(`Position ${p.name} from ${p.file} (${p.format})`);
  L.push(
    `  condor ${p.core.strikes.map(fmtStrike).join('/')} ×${p.core.quantity} on ${p.core.expiry}, opened for ${p.core.openCredit >= 0 ? `a credit of ${fmtNumber(p.core.openCredit)}` : `a debit of ${fmtNumber(-p.core.openCredit)}`}`,
  );
  if (p.extraLegs.length > 0) {
    L.push('  beside it:');
    const rows = p.extraLegs.map((l) =>
      l.asset === 'option'
        ? [
            `${l.expiry} ${fmtStrike(l.strike)} ${l.kind}`,
            `${l.quantity > 0 ? '+' : ''}${l.quantity}`,
            fmtNumber(l.openPrice),
          ]
        : [`${l.symbol} ${l.asset}`, `${l.quantity > 0 ? '+' : ''}${l.quantity}`, fmtNumber(l.openPrice)],
    );
    L.push(
      table({ headers: ['leg', 'qty', 'open price'], rows, left: [0] })
        .split('\n')
        .map((r) => `    ${r}`)
        .join('\n'),
    );
  }
  if (risk) {
    const g = risk.greeks;
    L.push(
      `  the whole position: max profit ${fmtDollars(risk.maxProfitDollars)} · max loss ${fmtDollars(risk.maxLossDollars)} at the condor's expiry · delta ${fmtDollars(g.deltaDollarsPerPoint)}/pt · vega ${fmtDollars(g.vegaDollarsPerVolPoint)}/vol pt · theta ${fmtDollars(g.thetaDollarsPerDay)}/day`,
    );
  }
  for (const n of [...p.notes, ...(risk?.notes ?? [])]) L.push(`  note: ${n}`);
  return L.join('\n');
}
