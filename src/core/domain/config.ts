/**
 * User settings (config.json in the state directory). Every key has a default, so an absent
 * file is a valid config; an invalid one is an error naming the file, never a silent reset.
 */
import * as z from 'zod'

import {BackendName} from './state.js'
import {CcmcpError} from './errors.js'

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
  trustRoots: z.boolean().default(false).describe("Record workspace trust for a session's root in Claude Code's config when the session is created and whenever a Claude agent starts in it (as session create --trust)"),
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
  const candidate = /^-?\d+$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw.trimStart().startsWith('[') ? jsonOr(raw) : raw
  const parsed = shape.safeParse(candidate)
  if (!parsed.success) {
    throw new CcmcpError('INVALID_INPUT', `Invalid value for ${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, {
      hint: shape.description ?? undefined,
    })
  }
  return {key: typedKey, value: parsed.data}
}

/** A JSON array typed on a command line (notifyCommand); the text itself when it is not JSON, so the error names the type. */
function jsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}
