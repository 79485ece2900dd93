/** An inline text input: the buffer's lines around the cursor, the cursor shown inverse. */
import {Box, Text} from 'ink'

import {type TextBuffer, cursorPosition} from '../text-buffer.js'

export interface InputBoxProps {
  buffer: TextBuffer
  rows: number
  width: number
}

const PROMPT = '› '

export function InputBox({buffer, rows, width}: InputBoxProps) {
  const {lines, line: cursorLine, column} = cursorPosition(buffer)
  const first = Math.max(0, Math.min(cursorLine - rows + 1, lines.length - rows))
  const shown = lines.slice(first, first + rows)
  // Room for the prompt and the cursor cell; longer lines scroll so the cursor stays visible.
  const room = Math.max(1, width - PROMPT.length - 1)
  return (
    <Box flexDirection="column" height={Math.max(1, shown.length)}>
      {shown.map((text, offset) => {
        const index = first + offset
        const prefix = index === 0 ? PROMPT : ' '.repeat(PROMPT.length)
        if (index !== cursorLine) return <Text key={index} wrap="truncate-end">{prefix + printable(text)}</Text>
        const start = Math.max(0, column - room + 1)
        return (
          <Text key={index} wrap="truncate-end">
            {prefix + printable(text.slice(start, column))}
            <Text inverse>{printable(text[column] ?? ' ')}</Text>
            {printable(text.slice(column + 1))}
          </Text>
        )
      })}
    </Box>
  )
}

/** Tabs and other controls would move the terminal's cursor; draw them as spaces. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return text.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, ' ')
}
