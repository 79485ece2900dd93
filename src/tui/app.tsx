/**
 * `ccmcp watch`: every session and agent, live, with one key per action. The app only wires the
 * pieces: data from core (useOverview), keys → state + effects (controller), drawing (components).
 */
import {Box, useApp, useInput, useStdin} from 'ink'
import {useCallback, useEffect, useRef, useState} from 'react'

import {toCcmcpError} from '../core/domain/errors.js'
import type {RunAction} from './actions.js'
import {AgentList} from './components/agent-list.js'
import {Footer, bodyRows} from './components/footer.js'
import {Header} from './components/header.js'
import {Preview} from './components/preview.js'
import {TasksPane} from './components/tasks-pane.js'
import {type KeyContext, type KeyPress, type UiState, handleInput, initialUi} from './controller.js'
import {statusCounts} from './display.js'
import {planLayout} from './layout.js'
import type {Overview, WatchCore} from './types.js'
import {type PreviewWish, useOverview} from './use-overview.js'
import {useTerminalSize} from './use-terminal-size.js'
import {buildList, resolveSelection} from './view-model.js'
import {boardOf, currentTaskLabel, readyTaskId, wantedPaneRows, withTasksPane} from './task-model.js'

export interface AppProps {
  core: WatchCore
  /** Only this session. */
  session?: string
  /** Between checks against the terminal. */
  intervalMs: number
  /** Data already read (the first frame shows it at once). */
  initial?: Overview
  /** false with NO_COLOR: styles (bold, inverse) but no colours. */
  color: boolean
}

export function App({core, session, intervalMs, initial, color}: AppProps) {
  const {exit} = useApp()
  // undefined, not false, for a stdin that is a file or pipe: Ink's isActive only stops on false.
  const interactive = useStdin().isRawModeSupported === true
  const {columns, rows} = useTerminalSize()
  const width = Math.max(10, columns - 1)
  const [ui, setUi] = useState<UiState>(initialUi)
  // Keys can arrive faster than React renders; each must see the state the previous one left.
  const uiRef = useRef(ui)
  const update = useCallback((next: UiState) => {
    uiRef.current = next
    setUi(next)
  }, [])

  const preview = useRef<PreviewWish>({agent: null, lines: 0})
  const data = useOverview(core, {session, intervalMs, initial, preview})
  const list = buildList(data.overview, ui.filter)
  const selectedIndex = resolveSelection(list.items, ui.selected)
  const selected = list.items[selectedIndex]
  const selectedAgent = selected?.kind === 'agent' ? selected.key : null
  const inputLines = ui.mode.kind === 'input' ? ui.mode.buffer.text.split('\n').length : 1
  const board = boardOf(data.overview, selected?.session ?? session)
  const {layout, tasks: taskRows} = withTasksPane(planLayout(rows, bodyRows(ui.mode, ui.message, width, inputLines)), wantedPaneRows(board))
  preview.current = {agent: selectedAgent, lines: layout.preview - 1}

  const {refresh} = data
  const firstSelection = useRef(true)
  useEffect(() => {
    if (firstSelection.current) firstSelection.current = false
    else refresh('screen')
    // A new selection (or a preview that just appeared) needs that agent's screen.
  }, [selectedAgent, layout.preview > 0, refresh])

  const alive = useRef(true)
  useEffect(
    () => () => {
      alive.current = false
    },
    [],
  )
  const execute = useCallback(
    (action: RunAction) => {
      update({...uiRef.current, message: {tone: 'pending', text: action.pending}})
      action.run(core).then(
        (result) => {
          if (!alive.current) return
          const current = uiRef.current
          update({...current, message: result.message, selected: result.select ? {key: result.select, index: current.selected.index} : current.selected})
        },
        (error: unknown) => {
          if (!alive.current) return
          const failure = toCcmcpError(error)
          update({...uiRef.current, message: {tone: 'error', text: failure.message, hint: failure.hintFor('cli')}})
        },
      ).finally(() => refresh('live'))
    },
    [core, refresh, update],
  )

  const overviewNow = data.overview
  const context = useRef<KeyContext>({items: list.items, pageSize: layout.list})
  context.current = {items: list.items, pageSize: Math.max(1, layout.list - 1), readyTask: (name) => readyTaskId(boardOf(overviewNow, name))}
  const onKey = useCallback(
    (input: string, key: KeyPress) => {
      const result = handleInput(uiRef.current, input, key, context.current)
      if (result.ui !== uiRef.current) update(result.ui)
      for (const effect of result.effects) {
        if (effect.kind === 'quit') exit()
        else execute(effect.action)
      }
    },
    [exit, execute, update],
  )
  useInput(onKey, {isActive: interactive})

  return (
    <Box flexDirection="column" width={width}>
      <Header
        session={session}
        sessions={data.overview?.sessions.length ?? 0}
        agents={list.agents.length}
        filter={ui.filter}
        readOnly={!interactive}
        error={data.error?.message ?? null}
        color={color}
      />
      <AgentList
        lines={list.lines}
        selectedIndex={selectedIndex}
        height={layout.list}
        width={width}
        loaded={data.overview !== null}
        filter={ui.filter}
        readAt={data.readAt}
        since={data.since}
        color={color}
        taskOf={(name, agent) => currentTaskLabel(boardOf(data.overview, name), agent)}
      />
      {board && taskRows > 0 ? <TasksPane board={board} height={taskRows} width={width} readAt={data.readAt} color={color} /> : null}
      <Preview agent={selectedAgent} screen={data.screen} height={layout.preview} width={width} />
      <Footer
        counts={statusCounts(list.agents)}
        position={list.items.length > 0 ? `${selectedIndex + 1}/${list.items.length}` : null}
        mode={ui.mode}
        message={ui.message}
        readOnly={!interactive}
        body={layout.body}
        showCounts={layout.counts}
        showHelp={layout.help}
        width={width}
        color={color}
      />
    </Box>
  )
}
