import { rankModels, type ModelReport, type Report } from '../results/report.js';

export const fixed = (value: number | undefined, digits = 3) => (value === undefined ? '-' : value.toFixed(digits));
export const ms = (value: number | undefined) =>
  value === undefined ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(1);
export const cvText = (m: ModelReport) => (m.cv ? `${fixed(m.cv.accuracy.mean)} ± ${fixed(m.cv.accuracy.std)}` : '-');

export interface LeaderboardRow {
  rank: string;
  id: string;
  cv: string;
  accuracy: string;
  balancedAccuracy: string;
  macroF1: string;
  fitMs: string;
  note: string;
}

/** The leaderboard as rows of text cells, shared by the console and Markdown formatters. */
export function leaderboardRows(report: Report): LeaderboardRow[] {
  let rank = 0;
  return rankModels(report).map((m) => {
    if (m.status === 'failed') {
      return {
        rank: '-',
        id: m.id,
        cv: cvText(m),
        accuracy: '-',
        balancedAccuracy: '-',
        macroF1: '-',
        fitMs: '-',
        note: `failed in ${m.error.task}: ${m.error.message}`,
      };
    }
    rank += 1;
    return {
      rank: String(rank),
      id: m.id,
      cv: cvText(m),
      accuracy: fixed(m.metrics?.accuracy),
      balancedAccuracy: fixed(m.metrics?.balancedAccuracy),
      macroF1: fixed(m.metrics?.macroF1),
      fitMs: ms(m.timings.fitMs),
      note: '',
    };
  });
}
