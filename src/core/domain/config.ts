/**
 * User settings (config.json in the state directory). Every key has a default, so an absent
 * file is a valid config; an invalid one is an error naming the file, never a silent reset.
 */
import * as z from 'zod'

import {BackendName} from './state.js'
import {CcmcpError} from './errors.js'
import {ModelPrice, validatePriceOverrides} from '../usage/prices.js'

/** Claude Code's --permission-mode values. */
export const PermissionMode = z.enum(['acceptEdits', 'auto', 'bypassPermissions', 'manual', 'default', 'dontAsk', 'plan'])

export const Config = z.object({
  maxAgents: z.number().int().min(1).max(1000).default(16).describe('Most agents one session may have'),
  maxSessions: z.number().int().min(1).max(1000).default(8).describe('Most sessions at once'),
  backend: BackendName.optional().describe('Terminal backend for new sessions (default: platform choice)'),
  claudeBin: z.string().min(1).optional().describe('Path of the claude program (default: "claude" on PATH)'),
  submitDelayMs: z.number().int().min(0).max(5000).default(120).describe('Pause between typing a message and pressing Enter'),
  readyTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000).describe('How long agent create waits for a claude agent to be ready'),
  deliveryTimeoutMs: z.number().int().min(500).max(60_000).default(5000).describe('How long to wait for an agent to accept a message (then Enter is retried once)'),
  permissionMode: PermissionMode.optional().describe("Claude Code --permission-mode for new agents (default: Claude Code's own)"),
  sshCommand: z.string().min(1).optional().describe('The ssh program and options for remote sessions, e.g. "ssh -F ~/work/ssh_config" (CCMCP_SSH overrides it; default "ssh")'),
  taskLeaseMs: z.number().int().min(10_000).max(86_400_000).default(300_000).describe("How long a claimed task stays its holder's without a sign of life (a hook event, a note); then it returns to open"),
  trustRoots: z.boolean().default(false).describe("Record workspace trust for a session's root in Claude Code's config when the session is created and whenever a Claude agent starts in it (as session create --trust)"),
  worktreeDir: z.string().refine((dir) => dir.startsWith('/'), {message: 'must be an absolute path'}).optional().describe('Where agent worktrees go, as <worktreeDir>/<session>/<agent> (default: <repo>.ccmcp-worktrees next to the repository)'),
  prices: z
    .record(z.string(), ModelPrice)
    .superRefine((prices, context) => {
      try {
        validatePriceOverrides(prices)
      } catch (error) {
        context.addIssue({code: 'custom', message: (error as Error).message})
      }
    })
    .optional()
    .describe('Price table override for the cost estimate, as JSON: {"<model family>": {"input": USD per million tokens, "output": …, "cacheRead": …, "cacheWrite": …}}'),
  notifyWaiting: z.boolean().default(true).describe('Notify when an agent starts waiting (a permission prompt, a question, the trust dialog)'),
  notifyError: z.boolean().default(true).describe("Notify when an agent's turn fails"),
  notifyExited: z.boolean().default(true).describe("Notify when an agent's program ends or its tab is gone (exited, lost)"),
  notifyTurnFinished: z.boolean().default(false).describe('Notify when an agent finishes a turn (idle after busy)'),
  notifyDesktop: z.boolean().default(false).describe('Show notifications on the desktop (macOS: osascript; Linux: notify-send, when installed)'),
  notifyBell: z.boolean().default(true).describe('Ring the terminal bell in `ccmcp watch` on a notification'),
  notifyCommand: z.array(z.string().min(1)).min(1).optional().describe('Program run on each notification, as a JSON argv array, e.g. ["/usr/local/bin/my-notify","--quiet"]; gets CCMCP_SESSION, CCMCP_AGENT, CCMCP_OLD_STATUS, CCMCP_NEW_STATUS, CCMCP_REASON, CCMCP_NOTIFY_KIND'),
})
export type Config = z.infer<typeof Config>

export const CONFIG_KEYS = Object.keys(Config.shape) as Array<keyof Config>

export const defaultConfig = (): Config => Config.parse({})

/** `key` as a config key, or INVALID_INPUT naming every key there is. */
export function configKey(key: string): keyof Config {
  if ((CONFIG_KEYS as string[]).includes(key)) return key as keyof Config
  throw new CcmcpError('INVALID_INPUT', `Unknown config key "${key}".`, {hint: `Known keys: ${CONFIG_KEYS.join(', ')}.`})
}

/** Parses `value` typed on a command line for `key` (numbers as numbers) and validates it. */
export function parseConfigValue(key: string, raw: string): {key: keyof Config; value: unknown} {
  const typedKey = configKey(key)
  const shape = Config.shape[typedKey]
  const candidate = /^-?\d+$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw.trimStart().startsWith('{') ? jsonValue(key, raw) : raw.trimStart().startsWith('[') ? jsonOr(raw) : raw
  const parsed = shape.safeParse(candidate)
  if (!parsed.success) {
    throw new CcmcpError('INVALID_INPUT', `Invalid value for ${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, {
      hint: shape.description ?? undefined,
    })
  }
  return {key: typedKey, value: parsed.data}
}

function jsonValue(key: string, raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch (error) {
    throw new CcmcpError('INVALID_INPUT', `Invalid value for ${key}: not valid JSON (${(error as Error).message}).`, {hint: 'Quote the whole JSON object for your shell, e.g. \'{"claude-opus-4-5": {"input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite": 6.25}}\'.'})
  }
}

/** A JSON array typed on a command line (notifyCommand); the text itself when it is not JSON, so the error names the type. */
function jsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}
