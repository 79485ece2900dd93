/** The terminal's size, updated on resize (Ink 6.8 has no useWindowSize). */
import {useStdout} from 'ink'
import {useEffect, useState} from 'react'

export interface TerminalSize {
  columns: number
  rows: number
}

export function useTerminalSize(): TerminalSize {
  const {stdout} = useStdout()
  const [size, setSize] = useState<TerminalSize>(() => read(stdout))
  useEffect(() => {
    const resized = () => setSize(read(stdout))
    stdout.on('resize', resized)
    return () => {
      stdout.off('resize', resized)
    }
  }, [stdout])
  return size
}

function read(stdout: NodeJS.WriteStream): TerminalSize {
  return {columns: stdout.columns || 80, rows: stdout.rows || 24}
}
