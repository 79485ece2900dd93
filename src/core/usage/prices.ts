/**
 * An ESTIMATE of what an agent's tokens cost: Anthropic's published list prices (USD per million
 * tokens, anthropic.com/pricing; cache writes at the 5-minute rate), by model family. Claude Code
 * reports no cost in its transcript (claude-code-2.md §7), so this is ccmcp's arithmetic, not a
 * bill: discounts, batch or priority pricing, 1-hour cache writes and long-context rates are not
 * modelled. Config `prices` overrides or adds families.
 */
import * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'

export const ModelPrice = z
  .object({
    input: z.number().min(0).max(10_000),
    output: z.number().min(0).max(10_000),
    cacheRead: z.number().min(0).max(10_000),
    cacheWrite: z.number().min(0).max(10_000),
  })
  .strict()
  .describe('USD per million tokens: input, output, cacheRead, cacheWrite')
export type ModelPrice = z.infer<typeof ModelPrice>

const price = (input: number, output: number): ModelPrice => ({input, output, cacheRead: input / 10, cacheWrite: input * 1.25})

/** Model family (a model id without its date suffix) → list price. */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-6': price(5, 25),
  'claude-opus-4-5': price(5, 25),
  'claude-opus-4-1': price(15, 75),
  'claude-opus-4': price(15, 75),
  'claude-sonnet-4-6': price(3, 15),
  'claude-sonnet-4-5': price(3, 15),
  'claude-sonnet-4': price(3, 15),
  'claude-3-7-sonnet': price(3, 15),
  'claude-haiku-4-5': price(1, 5),
  'claude-3-5-haiku': price(0.8, 4),
}

/** A model family as a price-table key: Claude's naming, with no date suffix. */
const FAMILY_PATTERN = /^claude-(?:(?:opus|sonnet|haiku)-\d+(?:-\d+)?|\d+(?:-\d+)?-(?:opus|sonnet|haiku))$/

/** `claude-sonnet-4-5-20250929` and `claude-sonnet-4-5[1m]` → `claude-sonnet-4-5`. */
export function modelFamily(model: string): string {
  return model.replace(/\[[^\]]*\]$/, '').replace(/-\d{8}$/, '').replace(/-latest$/, '')
}

/** Checks a config `prices` override: every key must be a Claude model family. */
export function validatePriceOverrides(prices: Record<string, ModelPrice>): void {
  for (const family of Object.keys(prices)) {
    if (FAMILY_PATTERN.test(family)) continue
    throw new CcmcpError('INVALID_INPUT', `Unknown model "${family}" in the price table override.`, {
      hint: `Name a model family without its date, as Claude Code reports it: ${Object.keys(BUILT_IN_PRICES).join(', ')} (or a newer claude-<opus|sonnet|haiku>-<version>).`,
    })
  }
}

export function priceFor(model: string, overrides: Record<string, ModelPrice> | undefined): ModelPrice | null {
  const family = modelFamily(model)
  return overrides?.[family] ?? BUILT_IN_PRICES[family] ?? null
}
