// Monthly usage report: aggregates the token counts we log for each Claude call.
interface UsageRow {
  model: string;
  inputTokens: number;
  outputTokens: number;
  messages: number;
}

export function totals(rows: UsageRow[]) {
  const byModel = new Map<string, UsageRow>();
  for (const row of rows) {
    const acc = byModel.get(row.model) ?? { model: row.model, inputTokens: 0, outputTokens: 0, messages: 0 };
    acc.inputTokens += row.inputTokens;
    acc.outputTokens += row.outputTokens;
    acc.messages += row.messages;
    byModel.set(row.model, acc);
  }
  return [...byModel.values()].sort((a, b) => b.inputTokens - a.inputTokens);
}

export const sample: UsageRow[] = [
  { model: "claude-sonnet-4-6", inputTokens: 120_000, outputTokens: 30_000, messages: 410 },
  { model: "claude-3-opus-20240229", inputTokens: 4_000, outputTokens: 900, messages: 12 },
];
