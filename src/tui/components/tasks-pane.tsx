/** The selected session's task board: one line per task (id, status, holder, lease left or age, title, result). */
import {Box, Text} from 'ink'

import {oneLine} from '../display.js'
import {type SessionBoard, type TaskLine, boardCounts, paneOrder, taskTime} from '../task-model.js'
import {type ColorName, tint} from './style.js'

export interface TasksPaneProps {
  board: SessionBoard
  /** Rows including the title row; 0 = hidden. */
  height: number
  width: number
  readAt: number
  color: boolean
}

const STATUS_COLOR: Record<TaskLine['status'], ColorName | undefined> = {claimed: 'yellow', open: 'blue', blocked: 'magenta', done: 'green', cancelled: undefined}
const STATUS_WIDTH = 'cancelled'.length
const TIME_WIDTH = '59m left'.length

export function TasksPane({board, height, width, readAt, color}: TasksPaneProps) {
  if (height < 2) return null
  const counts = board.tasks.length > 0 ? ` · ${boardCounts(board)}` : ''
  const title = `── tasks · ${board.session}${counts} · t add · A assign to the selected agent `
  const rows = height - 1
  const tasks = paneOrder(board.tasks)
  const shown = tasks.length > rows ? tasks.slice(0, rows - 1) : tasks
  const hidden = tasks.length - shown.length
  const idWidth = Math.max(3, ...shown.map((task) => task.id.length))
  const holderWidth = Math.max(1, ...shown.map((task) => task.claimedBy?.length ?? 0))
  const note = board.error ? `The board could not be read: ${oneLine(board.error)}` : tasks.length === 0 ? 'No tasks yet · t adds one' : null
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text dimColor wrap="truncate-end">
        {title + '─'.repeat(Math.max(0, width - title.length))}
      </Text>
      {note !== null ? (
        <Text dimColor wrap="truncate-end" {...tint(color, board.error ? 'red' : undefined)}>
          {note}
        </Text>
      ) : null}
      {shown.map((task) => (
        <Text key={task.id} wrap="truncate-end">
          {`${task.id.padEnd(idWidth)} `}
          <Text {...tint(color, STATUS_COLOR[task.status])} dimColor={task.status === 'cancelled'}>
            {task.status.padEnd(STATUS_WIDTH)}
          </Text>
          {` ${(task.claimedBy ?? '').padEnd(holderWidth)} `}
          <Text dimColor>{taskTime(task, readAt).padStart(TIME_WIDTH)}</Text>
          {`  ${oneLine(task.title)}`}
          {task.result ? <Text dimColor>{`  ↳ ${oneLine(task.result)}`}</Text> : null}
        </Text>
      ))}
      {hidden > 0 ? <Text dimColor wrap="truncate-end">{`… ${hidden} more: ccmcp task list ${board.session}`}</Text> : null}
    </Box>
  )
}
