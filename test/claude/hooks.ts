/**
 * Recording Claude Code hooks for tests: a tiny sh script appends each hook's stdin JSON to a
 * file, and HookLog polls that file. The harness deliberately does not use ccmcp's own hook
 * entry, so it proves what Claude Code itself sends, independent of ccmcp.
 */
import {chmod, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

/** Events the harness records. MessageDisplay is left out: it fires per streamed delta. */
export const RECORDED_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'Notification',
  'Stop',
  'StopFailure',
] as const

export interface HookEvent {
  hook_event_name: string
  session_id: string
  cwd?: string
  [key: string]: unknown
}

/** A recorded event plus when the poller first saw it (epoch ms, ±poll interval). */
export interface SeenHookEvent {
  event: HookEvent
  seenAt: number
  /** Position in the log, 0-based. */
  index: number
}

export interface HookFiles {
  /** Pass as `--settings <settingsPath>`. */
  settingsPath: string
  /** Where events are appended, one JSON object per line. */
  eventsPath: string
  scriptPath: string
}

// `$(cat)` then one printf: each event is written with a single append, so events arriving
// together (Stop and MessageDisplay come ~2 ms apart) do not interleave mid-line.
const SCRIPT = `#!/bin/sh
payload=$(cat)
printf '%s\\n' "$payload" >> "$1"
`

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/** Writes the hook script and a settings file that runs it for every recorded event. */
export async function writeHookFiles(dir: string, events: readonly string[] = RECORDED_EVENTS): Promise<HookFiles> {
  const scriptPath = path.join(dir, 'record-hook.sh')
  const eventsPath = path.join(dir, 'hook-events.jsonl')
  const settingsPath = path.join(dir, 'hook-settings.json')
  await writeFile(scriptPath, SCRIPT)
  await chmod(scriptPath, 0o755)
  await writeFile(eventsPath, '')
  // Hook commands are run by a shell, so the paths are quoted (temp dirs have no quotes, but be safe).
  const command = `${shellQuote(scriptPath)} ${shellQuote(eventsPath)}`
  const hooks = Object.fromEntries(events.map((name) => [name, [{matcher: '*', hooks: [{type: 'command', command}]}]]))
  await writeFile(settingsPath, `${JSON.stringify({hooks}, null, 2)}\n`)
  return {settingsPath, eventsPath, scriptPath}
}

const POLL_MS = 20

export class HookLog {
  private readonly seen: SeenHookEvent[] = []

  constructor(readonly eventsPath: string) {}

  /** Reads new lines and stamps them; returns every event so far. */
  async poll(): Promise<SeenHookEvent[]> {
    const text = await readFile(this.eventsPath, 'utf8').catch(() => '')
    const lines = text.split('\n').filter((line) => line.trim() !== '')
    const now = Date.now()
    for (let i = this.seen.length; i < lines.length; i++) {
      let event: HookEvent
      try {
        event = JSON.parse(lines[i] ?? '') as HookEvent
      } catch {
        event = {hook_event_name: 'unparsable', session_id: '', raw: lines[i]}
      }
      this.seen.push({event, seenAt: now, index: i})
    }
    return [...this.seen]
  }

  async events(name?: string): Promise<HookEvent[]> {
    return (await this.poll()).filter((s) => name === undefined || s.event.hook_event_name === name).map((s) => s.event)
  }

  /** Index the next waitFor should start from, to wait only for events after "now". */
  async mark(): Promise<number> {
    return (await this.poll()).length
  }

  /**
   * First event at or after `from` with that name matching `match`; rejects after `timeoutMs`
   * with the events seen, so a failing test shows what did arrive.
   */
  async waitFor(name: string, options: {from?: number; timeoutMs?: number; match?: (e: HookEvent) => boolean} = {}): Promise<SeenHookEvent> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000)
    for (;;) {
      const all = await this.poll()
      const hit = all.slice(options.from ?? 0).find((s) => s.event.hook_event_name === name && (options.match?.(s.event) ?? true))
      if (hit) return hit
      if (Date.now() > deadline) {
        const names = all.map((s) => s.event.hook_event_name).join(', ') || 'none'
        throw new Error(`hook ${name} did not arrive within ${options.timeoutMs ?? 60_000} ms; seen: ${names}`)
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  }
}
