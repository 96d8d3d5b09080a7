/**
 * Stage-machine inputs the Second Engine tests share: a bar on which every VIX rule of the Second Engine passes
 * (VIX 30, MACD confirmed, RSI(14) 75), and the machine in Layer One since the bar before.
 */
import type { VixSignalBar } from '../../src/engine/alvh/signals';
import { initialStageState, type StageState } from '../../src/engine/alvh/stages';

export const confirmedBar = (o: Partial<VixSignalBar>): VixSignalBar => ({
  date: '2024-03-28',
  close: 30,
  prevClose: 29,
  changePct: 3.4,
  changePoints: 1,
  rsiShort: 70,
  rsiLong: 75,
  macdLine: 1,
  macdSignal: 0.5,
  macdHistogram: 0.5,
  histogramRisingBars: 3,
  histogramFallingBars: 0,
  ...o,
});

export const inLayerOne: StageState = {
  ...initialStageState(),
  vol: 'layer-one',
  since: '2024-03-27',
  barsInStage: 0,
};
