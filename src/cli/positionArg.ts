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
import { splitCondor, type CondorCore } from '../positions/condorCore.ts';
import { importPositionsFile } from './commands/positions.ts';
import type { Leg, Position } from '../positions/types.ts';
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

/** "^SPX", "$SPX.X", "SPXW" → "SPX": the name a chain and a position file may each give the same underlying. */
export function underlyingKey(symbol: string): string {
  const s = symbol
    .toUpperCase()
    .replace(/^[\^$.]/, '')
    .replace(/\.X$/, '');
  return s === 'SPXW' ? 'SPX' : s === 'NDXP' ? 'NDX' : s === 'RUTW' ? 'RUT' : s;
}

/**
 * The position to analyse: the one named, or else every option position on the chain's underlying — the one holding
 * an iron condor gives the condor, the others are held beside it (a Layer One spread of another expiry is its own
 * position in the file, and still part of what the trader holds).
 */
function pick(
  positions: Position[],
  chain: Chain,
  file: string,
  name: string | undefined,
): { main: Position; beside: Position[] } {
  const names = positions.map((p) => `"${p.name}"`).join(', ');
  if (name !== undefined) {
    const hit = positions.find((p) => p.name === name);
    if (!hit) throw new UsageError(`${file}: no position named "${name}"; it holds ${names}`);
    return { main: hit, beside: [] };
  }
  const here = underlyingKey(chain.underlying.symbol);
  const mine = positions.filter(
    (p) => underlyingKey(p.underlying) === here && p.legs.some((l) => l.asset === 'option'),
  );
  if (mine.length === 0)
    throw new UsageError(`${file}: no option position on ${here} (the chain's underlying); it holds ${names}`);
  const condors = mine.filter((p) => splitCondor(p).ok);
  if (condors.length > 1)
    throw new UsageError(
      `${file}: ${condors.length} iron condors on ${here} (${condors.map((p) => `"${p.name}"`).join(', ')}); choose one with --position-name`,
    );
  const main = condors[0] ?? mine[0]!;
  return { main, beside: mine.filter((p) => p !== main) };
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
  const { main: position, beside } = pick(result.positions, chain, file, name);
  const split = splitCondor(position);
  if (!split.ok)
    throw new UsageError(
      `${file}: ${split.reason}. HedgeLens analyses a position around its iron condor; \`hedgelens positions ${file}\` lists its legs`,
    );
  const { expiry, strikes, quantity, openCredit } = split.core;
  const core = { expiry, strikes, quantity, openCredit };
  const notes = [...split.notes];
  const extra = [...split.extra, ...beside.flatMap((p) => p.legs)];
  if (beside.length > 0)
    notes.push(
      `held beside it, from the same file: ${beside.map((p) => p.name).join('; ')} (--position-name takes one position alone)`,
    );
  const options = extra.filter((l) => l.asset === 'option');
  for (const l of extra)
    if (l.asset !== 'option')
      notes.push(
        `${l.symbol} ${l.asset} ${l.quantity > 0 ? '+' : ''}${l.quantity} left out: the risk here is options only`,
      );
  const hedges: PositionHedge[] =
    options.length === 0
      ? []
      : [
          {
            id: 'held',
            ticketId: 'position-file',
            structure: `legs held beside the condor (${file})`,
            quantity: 1,
            addedAt: chain.asOf ?? new Date(0).toISOString(),
            legs: options.map((l) => ({
              underlying: l.underlying,
              root: l.root,
              kind: l.kind,
              strike: l.strike,
              expiry: l.expiry,
              quantity: l.quantity,
              entryPrice: l.openPrice,
            })),
          },
        ];
  return {
    file,
    format: result.report.format,
    name: position.name,
    core,
    extraLegs: extra,
    notes,
    condor: { strikes: core.strikes, quantity: core.quantity, credit: core.openCredit >= 0 ? core.openCredit : null },
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
