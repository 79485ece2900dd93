/**
 * An in-memory TerminalBackend for core tests: records what core asked for, lets a test make
 * tabs vanish or programs exit, and can be told to fail. Not used for adapter or e2e tests.
 */
import type {TabRef} from '../../src/core/domain/state.js'
import {CcmcpError} from '../../src/core/domain/errors.js'
import type {FocusResult, OpenTabRequest, SendTextOptions, TabInfo, TerminalBackend} from '../../src/core/ports.js'

export interface FakeTab {
  ref: TabRef
  request: OpenTabRequest
  typed: Array<{text: string; submit: boolean}>
  alive: boolean
  exitStatus: number | null
  screen: string
  /** Typed but not yet submitted. */
  line: string
}

export class FakeBackend implements TerminalBackend {
  readonly name = 'tmux' as const
  readonly tabs: FakeTab[] = []
  listCalls = 0
  failOpen: Error | null = null
  /** Called after a tab opens / after Enter is pressed with the line typed so far (simulates the program). */
  onOpen: ((tab: FakeTab) => void) | null = null
  onSubmit: ((tab: FakeTab, line: string) => void) | null = null
  /** Set to simulate a launcher that starts the program late (TerminalBackend.handedOver). */
  handedOver?: (tab: TabRef) => Promise<boolean>
  private nextId = 0

  async openTab(request: OpenTabRequest): Promise<TabRef> {
    if (this.failOpen) throw this.failOpen
    const id = this.nextId++
    const ref: TabRef = {backend: 'tmux', sessionId: '$0', windowId: `@${id}`, paneId: `%${id}`, launchId: request.launchId}
    const tab: FakeTab = {ref, request, typed: [], alive: true, exitStatus: null, screen: `screen of ${request.agentKey}`, line: ''}
    this.tabs.push(tab)
    this.onOpen?.(tab)
    return ref
  }

  async sendText(tab: TabRef, text: string, options: SendTextOptions): Promise<void> {
    const fake = this.live(tab)
    fake.typed.push({text, submit: options.submit})
    fake.line += text
    if (options.submit) this.submit(fake)
  }

  async pressEnter(tab: TabRef): Promise<void> {
    const fake = this.live(tab)
    fake.typed.push({text: '', submit: true})
    this.submit(fake)
  }

  private submit(tab: FakeTab): void {
    const line = tab.line
    tab.line = ''
    this.onSubmit?.(tab, line)
  }

  async readScreen(tab: TabRef, lines: number): Promise<string> {
    return this.live(tab).screen.split('\n').slice(-lines).join('\n')
  }

  async listTabs(): Promise<TabInfo[]> {
    this.listCalls++
    return this.tabs.map((tab) => ({tab: tab.ref, agentKey: tab.request.agentKey, launchId: tab.request.launchId, alive: tab.alive, exitStatus: tab.exitStatus}))
  }

  async closeTab(tab: TabRef): Promise<void> {
    const index = this.tabs.findIndex((candidate) => JSON.stringify(candidate.ref) === JSON.stringify(tab))
    if (index >= 0) this.tabs.splice(index, 1)
  }

  async focusTab(tab: TabRef): Promise<FocusResult> {
    this.live(tab)
    return {focused: false, hint: 'attach here'}
  }

  tabOf(agentKey: string): FakeTab | undefined {
    return this.tabs.find((tab) => tab.request.agentKey === agentKey)
  }

  private live(tab: TabRef): FakeTab {
    const found = this.tabs.find((candidate) => JSON.stringify(candidate.ref) === JSON.stringify(tab))
    if (!found) throw new CcmcpError('AGENT_NOT_RUNNING', 'tab is gone')
    return found
  }
}
