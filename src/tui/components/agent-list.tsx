/** The sessions and their agents, one line each, scrolled so the selection stays in view. */
import {Box, Text} from 'ink'

import {STATUS_STYLE} from '../../present/status.js'
import {agentDetail, ageSince, oneLine} from '../display.js'
import {scrollStart} from '../layout.js'
import type {Item, Line, SinceMap} from '../view-model.js'
import {DETAIL_COLOR, tint} from './style.js'
import type {AgentView} from '../../core/agents/agent-view.js'
import {usageLabel} from '../../present/usage.js'

export interface AgentListProps {
  lines: readonly Line[]
  selectedIndex: number
  height: number
  width: number
  /** false while the first read is under way. */
  loaded: boolean
  filter: string
  readAt: number
  since: SinceMap
  color: boolean
  /** The agent's current task ("T-3 Write the parser"), when the view knows the boards. */
  taskOf?: (session: string, agent: string) => string | null
}

const STATUS_WIDTH = 'starting'.length
const MAX_NAME_WIDTH = 24

export function AgentList(props: AgentListProps) {
  const {lines, selectedIndex, height, width} = props
  if (height <= 0) return null
  const notice = (text: string) => (
    <Box height={height} width={width}>
      <Text dimColor wrap="truncate-end">
        {text}
      </Text>
    </Box>
  )
  if (!props.loaded) return notice('Reading agents…')
  if (lines.length === 0) {
    return notice(props.filter.trim() ? `No agent matches "${oneLine(props.filter)}" (Esc clears the filter).` : 'No sessions yet. Create one with: ccmcp session create <name> --root <dir>')
  }
  const selectedLine = lines.findIndex((line) => line.kind === 'item' && line.index === selectedIndex)
  const start = scrollStart(lines.length, height, selectedLine)
  const visible = lines.slice(start, start + height)
  const nameWidth = Math.min(MAX_NAME_WIDTH, Math.max(5, ...lines.map((line) => (line.kind === 'item' && line.item.kind === 'agent' ? line.item.agent.name.length : 0))))
  return (
    <Box flexDirection="column" height={height} width={width}>
      {visible.map((line) =>
        line.kind === 'session' ? (
          <Text key={`session:${line.session.name}`} bold wrap="truncate-end">
            {line.session.name}
            <Text bold={false} dimColor>
              {`  ${line.session.host ? `${line.session.host}:` : ''}${line.session.root} · ${line.session.backend} · ${line.session.agents} agent${line.session.agents === 1 ? '' : 's'}`}
            </Text>
          </Text>
        ) : (
          <ItemLine
            key={line.item.key}
            item={line.item}
            selected={line.index === selectedIndex}
            nameWidth={nameWidth}
            readAt={props.readAt}
            since={props.since}
            color={props.color}
            task={line.item.kind === 'agent' ? (props.taskOf?.(line.item.session, line.item.agent.name) ?? null) : null}
          />
        ),
      )}
    </Box>
  )
}

interface ItemLineProps extends Pick<AgentListProps, 'readAt' | 'since' | 'color'> {
  item: Item
  selected: boolean
  nameWidth: number
  task: string | null
}

function ItemLine({item, selected, nameWidth, readAt, since, color, task}: ItemLineProps) {
  const marker = selected ? '› ' : '  '
  if (item.kind === 'empty') {
    return (
      <Text inverse={selected} wrap="truncate-end">
        {marker}
        <Text dimColor>(no agents · a adds one)</Text>
      </Text>
    )
  }
  const {agent} = item
  const style = STATUS_STYLE[agent.status]
  const entered = since.get(item.key)?.since ?? readAt
  const detail = agentDetail(agent)
  // Overview agents carry their tokens and estimated cost (claude agents).
  const usage = usageLabel((agent as Partial<AgentView>).usage)
  const name = agent.name.length > nameWidth ? `${agent.name.slice(0, nameWidth - 1)}…` : agent.name.padEnd(nameWidth)
  return (
    <Text inverse={selected} bold={selected} wrap="truncate-end">
      {marker}
      <Text {...tint(color, style.color)}>{`${style.symbol} `}</Text>
      {`${name} `}
      <Text {...tint(color, style.color)}>{agent.status.padEnd(STATUS_WIDTH)}</Text>
      {` ${ageSince(entered, readAt).padStart(4)}  `}
      {usage ? <Text dimColor>{`${usage}  `}</Text> : null}
      {task ? <Text {...tint(color, 'cyan')}>{`${task}  `}</Text> : null}
      <Text {...tint(color, DETAIL_COLOR[detail.tone])} dimColor={detail.tone === 'plain'}>
        {detail.text}
      </Text>
    </Text>
  )
}
