/** The top line: what is watched, the filter, read-only mode, and a failed refresh. */
import {Text} from 'ink'

import {oneLine} from '../display.js'
import {tint} from './style.js'

export interface HeaderProps {
  session?: string
  sessions: number
  agents: number
  filter: string
  readOnly: boolean
  /** The last refresh failed: why. */
  error: string | null
  color: boolean
}

export function Header({session, sessions, agents, filter, readOnly, error, color}: HeaderProps) {
  const scope = session ? `session ${session}` : `${sessions} session${sessions === 1 ? '' : 's'}`
  return (
    <Text wrap="truncate-end">
      <Text bold>ccmcp watch</Text>
      {` · ${scope} · ${agents} agent${agents === 1 ? '' : 's'}`}
      {filter.trim() ? <Text {...tint(color, 'blue')}>{` · filter "${oneLine(filter)}"`}</Text> : null}
      {readOnly ? <Text dimColor> · read-only</Text> : null}
      {error ? <Text {...tint(color, 'red')}>{` · ✗ refresh failed: ${oneLine(error)}`}</Text> : null}
    </Text>
  )
}
