/** What the fake agent (test/fixtures/fake-agent.mjs) recorded, and what it should have. */
import {readFile} from 'node:fs/promises'
import path from 'node:path'

import {eventually} from './cli.js'

/** The prompts the agent submitted, in order. */
export async function recordedPrompts(records: string, agent: string): Promise<string[]> {
  const text = await readFile(path.join(records, `${agent}.prompts.jsonl`), 'utf8').catch(() => '')
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line).prompt)
}

/** Exactly the bytes a TUI receives for these messages, each sent and submitted (pasted if multi-line). */
export function submittedBytes(messages: readonly string[]): Buffer {
  return Buffer.concat(messages.map((message) => Buffer.from(message.includes('\n') ? `\u001B[200~${message}\u001B[201~\r` : `${message}\r`)))
}

/** Waits until the agent submitted as many prompts as expected; returns them and the raw bytes it read. */
export async function receivedBy(records: string, agent: string, expected: readonly string[]): Promise<{prompts: string[]; bytes: Buffer}> {
  const prompts = await eventually(async () => {
    const got = await recordedPrompts(records, agent)
    return got.length >= expected.length ? got : undefined
  })
  return {prompts, bytes: await readFile(path.join(records, `${agent}.bytes`))}
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
