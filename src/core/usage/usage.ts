/** Token totals per agent and session, and their estimated cost, as every surface shows them. */
import * as z from 'zod'

import {type ModelPrice, priceFor} from './prices.js'

export const TokenCounts = z.object({
  input: z.number().int().min(0),
  output: z.number().int().min(0),
  cacheRead: z.number().int().min(0),
  cacheWrite: z.number().int().min(0),
})
export type TokenCounts = z.infer<typeof TokenCounts>

export const zeroTokens = (): TokenCounts => ({input: 0, output: 0, cacheRead: 0, cacheWrite: 0})

export function addTokens(a: TokenCounts, b: TokenCounts, sign = 1): TokenCounts {
  return {input: a.input + sign * b.input, output: a.output + sign * b.output, cacheRead: a.cacheRead + sign * b.cacheRead, cacheWrite: a.cacheWrite + sign * b.cacheWrite}
}

export const Usage = z
  .object({
    tokens: TokenCounts.describe('Tokens of every assistant message in the transcript, each message counted once'),
    byModel: z.record(z.string(), TokenCounts).describe('The same tokens per model id'),
    costUsd: z.number().nullable().describe('ESTIMATED cost in USD from list prices (not a bill); null when a model has no price'),
    costNote: z.string().nullable().describe('Why there is no cost, or what the estimate assumes'),
  })
  .describe('Tokens and estimated cost (claude agents; from their transcript)')
export type Usage = z.infer<typeof Usage>

export const ESTIMATE_NOTE = 'estimate from list prices'

export function usageOf(byModel: Record<string, TokenCounts>, overrides: Record<string, ModelPrice> | undefined): Usage {
  let tokens = zeroTokens()
  let cost = 0
  const unpriced: string[] = []
  for (const [model, counts] of Object.entries(byModel)) {
    tokens = addTokens(tokens, counts)
    const price = priceFor(model, overrides)
    if (!price) {
      unpriced.push(model)
      continue
    }
    cost += (counts.input * price.input + counts.output * price.output + counts.cacheRead * price.cacheRead + counts.cacheWrite * price.cacheWrite) / 1_000_000
  }
  if (unpriced.length > 0) {
    return {tokens, byModel, costUsd: null, costNote: `no price for model ${unpriced.join(', ')}; set one with \`ccmcp config set prices\``}
  }
  return {tokens, byModel, costUsd: Math.round(cost * 1e6) / 1e6, costNote: ESTIMATE_NOTE}
}

/** Several agents' usage as one (a session's total). */
export function sumUsage(usages: Usage[], overrides: Record<string, ModelPrice> | undefined): Usage {
  const byModel: Record<string, TokenCounts> = {}
  for (const usage of usages) {
    for (const [model, counts] of Object.entries(usage.byModel)) byModel[model] = addTokens(byModel[model] ?? zeroTokens(), counts)
  }
  return usageOf(byModel, overrides)
}
