/**
 * The screen patterns and prompt-box check against real Claude Code 2.1.330 screens captured by
 * the harness (fixtures/2.1.330/), so they are checked in every CI run, binary or not.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {CLAUDE_SCREEN, PINNED_CLAUDE_VERSION, promptBoxHolds} from './env.js'

const screen = (name: string): string => readFileSync(new URL(`fixtures/${PINNED_CLAUDE_VERSION}/${name}.txt`, import.meta.url), 'utf8')

describe(`Claude Code ${PINNED_CLAUDE_VERSION} screens`, () => {
  it('the ready footer matches in both permission modes, and not on dialogs', () => {
    expect(screen('ready-accept-edits')).toMatch(CLAUDE_SCREEN.ready)
    expect(screen('ready-manual')).toMatch(CLAUDE_SCREEN.ready)
    expect(screen('trust-dialog')).not.toMatch(CLAUDE_SCREEN.ready)
    expect(screen('permission-dialog')).not.toMatch(CLAUDE_SCREEN.ready)
  })

  it('"? for shortcuts" disappears once the prompt box holds text; "shift+tab" stays', () => {
    expect(screen('prompt-box-unsent')).not.toMatch(CLAUDE_SCREEN.ready)
    expect(screen('prompt-box-multiline')).toMatch(CLAUDE_SCREEN.ready)
  })

  it('the trust dialog is recognised and defaults to "No, exit"', () => {
    const trust = screen('trust-dialog')
    expect(trust).toMatch(CLAUDE_SCREEN.trust)
    expect(trust).toMatch(/^ ❯ No, exit$/m)
    expect(screen('ready-accept-edits')).not.toMatch(CLAUDE_SCREEN.trust)
  })

  it('the permission dialog is recognised', () => {
    expect(screen('permission-dialog')).toMatch(CLAUDE_SCREEN.permission)
    expect(screen('permission-dialog')).toMatch(/^ ❯ 1\. Yes$/m)
  })

  it('a running turn shows "esc to interrupt"', () => {
    expect(screen('turn-ending')).toMatch(CLAUDE_SCREEN.busy)
    expect(screen('ready-accept-edits')).not.toMatch(CLAUDE_SCREEN.busy)
  })

  it('promptBoxHolds finds unsent text only inside the prompt box', () => {
    const sent = 'MOCK_TOOL_BASH echo allowed > permission.txt'
    expect(promptBoxHolds(screen('prompt-box-unsent'), sent)).toBe(true)
    expect(promptBoxHolds(screen('prompt-box-multiline'), 'line one\nline two\nline three')).toBe(true)
    expect(promptBoxHolds(screen('ready-accept-edits'), sent)).toBe(false)
    // The submitted prompt is still on screen above the dialog, but there is no prompt box.
    expect(screen('permission-dialog')).toContain(`❯ ${sent}`)
    expect(promptBoxHolds(screen('permission-dialog'), sent)).toBe(false)
    expect(promptBoxHolds(screen('trust-dialog'), 'No, exit')).toBe(false)
  })

  it('the prompt box uses a no-break space after "❯"', () => {
    expect(screen('prompt-box-unsent')).toContain('❯\u00a0MOCK_TOOL_BASH')
  })
})
