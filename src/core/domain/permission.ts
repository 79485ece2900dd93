/**
 * A permission prompt a claude agent's PermissionRequest hook is holding open, and the answer
 * ccmcp gives it (claude-code-2.md §3). Stored on the agent while the dialog is up.
 */
import * as z from 'zod'

export const ANSWERS = ['allow', 'deny', 'trust'] as const
export const Answer = z.enum(ANSWERS)
export type Answer = z.infer<typeof Answer>

export const PermissionDecision = z.object({
  behavior: z.enum(['allow', 'deny']),
  /** allow: also add Claude Code's own suggested rules, so it does not ask again. */
  always: z.boolean(),
  /** deny: what the model is told. */
  message: z.string().nullable(),
  /** Who answered: the caller's description, or `auto-allow Bash(npm test*)` for a session rule. */
  by: z.string(),
})
export type PermissionDecision = z.infer<typeof PermissionDecision>

export const PermissionRequest = z.object({
  /** One per hook invocation; an answer names the request it answers. */
  id: z.string(),
  tool: z.string(),
  /** The tool and a short, sanitized form of its input, as `Bash(npm test)`. */
  summary: z.string(),
  askedAt: z.string(),
  /** The hook process waiting for the answer; null once it gave up (its timeout), so nobody is listening. */
  hookPid: z.number().int().nullable(),
  decision: PermissionDecision.nullable(),
})
export type PermissionRequest = z.infer<typeof PermissionRequest>

/** What a session's rules answered on their own, for the record (status, audit). */
export const AutoAnswer = z.object({
  rule: z.string(),
  behavior: z.enum(['allow', 'deny']),
  summary: z.string(),
  at: z.string(),
})
export type AutoAnswer = z.infer<typeof AutoAnswer>
