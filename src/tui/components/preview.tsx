/** The selected agent's screen: its last lines, as its terminal shows them. */
import {Box, Text} from 'ink'

import {screenLines} from '../display.js'
import type {ScreenRead} from '../types.js'

export interface PreviewProps {
  /** The selected agent (session/name), or null. */
  agent: string | null
  screen: ScreenRead | null
  /** Rows including the title row. */
  height: number
  width: number
}

export function Preview({agent, screen, height, width}: PreviewProps) {
  if (height <= 1) return null
  const title = `── ${agent ?? 'no agent selected'} · screen `
  const rows = height - 1
  const body = agent !== null && screen?.agent === agent && screen.text !== null ? screenLines(screen.text).slice(-rows) : []
  const note = body.length > 0 ? null : previewNote(agent, screen)
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text dimColor wrap="truncate-end">
        {title + '─'.repeat(Math.max(0, width - title.length))}
      </Text>
      {note === null ? (
        body.map((line, index) => (
          <Text key={index} wrap="truncate-end">
            {line === '' ? ' ' : line}
          </Text>
        ))
      ) : (
        <Text dimColor wrap="truncate-end">
          {note}
        </Text>
      )}
    </Box>
  )
}

function previewNote(agent: string | null, screen: ScreenRead | null): string {
  if (agent === null) return 'Select an agent to see its screen.'
  if (screen?.agent !== agent) return 'Reading the screen…'
  if (screen.text === null) return `No screen to show: ${screen.error ?? 'unknown reason'}.`
  return '(the screen is blank)'
}
