/** Operation inputs for worktrees, shared by the session and agent operations that take them. */
import * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'
import {splitCommandLine} from '../domain/message-text.js'

export const SetupCommand = z
  .string()
  .max(16 * 1024)
  .refine((line) => !line.includes('\0'), {message: 'contains a NUL byte; remove it'})
  .describe('Command run in each new worktree before its agent starts, e.g. "npm ci": split into words like command, never run by a shell (write sh -c \'…\' yourself for shell syntax); HIGH level')

export function setupArgv(line: string | undefined): string[] | null {
  if (line === undefined) return null
  const argv = splitCommandLine(line)
  if (argv.length === 0) throw new CcmcpError('INVALID_INPUT', 'The setup command is empty.', {hint: 'Give a program and its arguments, e.g. --setup "npm ci", or leave it out.'})
  return argv
}

export const ForceFlag = z.boolean().default(false).describe('Also remove a worktree holding uncommitted or unmerged work (a branch with unmerged commits is kept)')

export const WorktreeInput = {
  worktree: z.boolean().optional().describe("Give the agent its own git worktree and branch (default: the session's worktrees setting)"),
  worktreeName: z.string().min(1).max(100).optional().describe("Name of the agent's worktree: its folder <repo>.ccmcp-worktrees/<session>/<name> and its default branch ccmcp/<session>/<name> (default: the agent's name); letters, digits, '.', '_' and '-'"),
  branch: z.string().min(1).max(200).optional().describe('Branch for the worktree (default ccmcp/<session>/<worktree name>); an existing one is refused unless reuseBranch'),
  base: z.string().min(1).max(200).optional().describe('Commit, branch or tag the new branch starts from (default: HEAD of the session root)'),
  reuseBranch: z.boolean().default(false).describe('Check out an existing branch in the worktree instead of refusing it'),
}
