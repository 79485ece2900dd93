/**
 * The full hook (bin/hook.js runs it for PermissionRequest, and for any event the spool cannot
 * take, see spool-hook.ts): reads the event JSON from stdin and runs it
 * through the pipeline as the agent whose environment this is (CCMCP_SESSION / CCMCP_AGENT,
 * proven by CCMCP_AGENT_SECRET: one hash and a compare). Kept tiny for speed, and it never fails the agent's turn: problems
 * go to logs/hook.log and the exit code stays 0. Nothing is written to stdout — Claude Code would
 * read it as hook output.
 */
import {appendFile, mkdir} from 'node:fs/promises'
import os from 'node:os'

import {agentFromEnv} from '../pipeline/caller.js'
import {isCcmcpError} from '../domain/errors.js'
import {createHookRuntime} from './hook-runtime.js'
import {hookLogLine} from './log-line.js'
import type {Recorder} from '../ports.js'
import {PERMISSION_HOOK_MARGIN_MS, PERMISSION_HOOK_TIMEOUT_SECONDS, permissionHook} from '../answer/permission-hook.js'
import {hiddenFromAgents} from '../agents/sandbox-settings.js'
import {claudeConfigDir} from '../agents/confinement.js'

/** Refusals that are routine: an event from a tab being closed after a restart, or from a deleted agent (still recorded as refused). */
const QUIET = new Set(['stale-launch', 'unknown-agent'])

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * `startedAt` is when the hook process started (bin/hook.js passes it): async hooks finish in any
 * order, so events are ordered by when Claude Code started their hooks, not when they arrive.
 */
export async function main(env: NodeJS.ProcessEnv = process.env, options: {recorder?: Recorder; input?: () => Promise<string>; startedAt?: Date; print?: (text: string) => void} = {}): Promise<void> {
  const runtime = createHookRuntime({env, recorder: options.recorder, eventTime: options.startedAt})
  try {
    const caller = agentFromEnv(env)
    const raw = await (options.input ?? readStdin)()
    if (!caller || !caller.session) {
      // Still through the pipeline, so the record step sees the refusal; then hook.log says why.
      const nobody = {kind: 'agent' as const, session: env.CCMCP_SESSION ?? '', agent: env.CCMCP_AGENT ?? '', launchId: ''}
      await runtime.run('record_hook_event', {}, nobody).catch(() => undefined)
      throw new Error('CCMCP_SESSION and CCMCP_AGENT are not set; this hook only works in an agent ccmcp started')
    }
    const payload = JSON.parse(raw || '{}')
    if (payload?.hook_event_name !== 'PermissionRequest') {
      await runtime.run('record_hook_event', payload, caller)
      return
    }
    // The one blocking, long-lived hook: stdout carries only the decision JSON, once.
    const started = (options.startedAt ?? new Date()).getTime()
    const parent = process.ppid
    const outcome = await permissionHook(
      {
        run: (waiter) => createHookRuntime({env, recorder: options.recorder, eventTime: options.startedAt, waiter}).run,
        store: runtime.store,
        pid: process.pid,
        home: env.HOME ?? runtime.paths.home,
        parentAlive: () => process.ppid === parent && parentRuns(parent),
        print: (json) => (options.print ?? ((text: string) => process.stdout.write(text)))(JSON.stringify(json)),
        deadlineMs: started + PERMISSION_HOOK_TIMEOUT_SECONDS * 1000 - PERMISSION_HOOK_MARGIN_MS,
        now: () => Date.now(),
        hidden: hiddenFromAgents(runtime.paths.home, claudeConfigDir(env, os.homedir())),
      },
      caller,
      payload,
    )
    // Claude Code decides alone then (a sandboxed agent is refused): worth a line when it was not expected.
    if (outcome === 'unrecorded') await logHookProblem(runtime.paths.logsDir, env, new Error(`a PermissionRequest for ${String(payload.tool_name)} was not recorded as open (a newer event had closed it); it was left to Claude Code`))
  } catch (error) {
    if (isCcmcpError(error) && error.code === 'FORBIDDEN' && QUIET.has(error.reason ?? '')) return
    await logHookProblem(runtime.paths.logsDir, env, error)
  }
}

async function logHookProblem(logsDir: string, env: NodeJS.ProcessEnv, error: unknown): Promise<void> {
  await mkdir(logsDir, {recursive: true, mode: 0o700}).catch(() => undefined)
  await appendFile(`${logsDir}/hook.log`, hookLogLine({session: env.CCMCP_SESSION, agent: env.CCMCP_AGENT}, error), {mode: 0o600}).catch(() => undefined)
}

function parentRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
