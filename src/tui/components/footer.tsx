/** Below the list: status counts, the message / question / input line(s), and key help. */
import {Box, Text} from 'ink'

import {STATUS_STYLE} from '../../present/status.js'
import type {AgentStatus} from '../../core/domain/state.js'
import type {Mode} from '../controller.js'
import type {Message} from '../types.js'
import {InputBox} from './input-box.js'
import {TONE_COLOR, tint} from './style.js'

export interface FooterProps {
  counts: ReadonlyArray<{status: AgentStatus; count: number}>
  /** "3/12": the selection among the items, when there are any. */
  position: string | null
  mode: Mode
  message: Message | null
  readOnly: boolean
  /** Rows for the message / question / input. */
  body: number
  showCounts: boolean
  showHelp: boolean
  width: number
  color: boolean
}

export const BROWSE_HELP = '↑↓ select · ⏎ focus · s send · c clear · n new · r restart · d delete · a add · t task · A assign · / filter · q quit'
/** Where the full line does not fit: the task keys are named in the tasks pane's title instead. */
export const BROWSE_HELP_NARROW = '↑↓ select · ⏎ focus · s send · c clear · n new · r restart · d delete · a add · / filter · q quit'

const TONE_MARK = {info: '', success: '✓ ', error: '✗ ', pending: ''} as const

export function Footer(props: FooterProps) {
  const {width, color} = props
  return (
    <Box flexDirection="column" width={width}>
      {props.showCounts && <CountsLine counts={props.counts} position={props.position} color={color} />}
      {props.body > 0 && <Body {...props} />}
      {props.showHelp &&
        // While typing, a note about the input (an empty message) takes the help line's place.
        (props.mode.kind === 'input' && props.message ? (
          <Text wrap="truncate-end" {...tint(color, TONE_COLOR[props.message.tone])}>
            {props.message.text}
          </Text>
        ) : (
          <Text dimColor wrap="truncate-end">
            {helpText(props.mode, props.readOnly, width)}
          </Text>
        ))}
    </Box>
  )
}

function CountsLine({counts, position, color}: Pick<FooterProps, 'counts' | 'position' | 'color'>) {
  return (
    <Text wrap="truncate-end">
      {counts.length === 0 ? <Text dimColor>no agents</Text> : null}
      {counts.map(({status, count}, index) => (
        <Text key={status}>
          {index > 0 ? ' · ' : ''}
          <Text {...tint(color, STATUS_STYLE[status].color)}>{`${count} ${status}`}</Text>
        </Text>
      ))}
      {position ? <Text dimColor>{`   ${position}`}</Text> : null}
    </Text>
  )
}

function Body({mode, message, body, width, color}: FooterProps) {
  if (mode.kind === 'input') return <InputBox buffer={mode.buffer} rows={body} width={width} />
  if (mode.kind === 'confirm') {
    return (
      <Text bold wrap="truncate-end" {...tint(color, 'yellow')}>
        {`${mode.action.confirm ?? `Run ${mode.action.op}?`} [y/N]`}
      </Text>
    )
  }
  if (!message) return <Text> </Text>
  return (
    <Box flexDirection="column" height={body} overflow="hidden">
      <Text wrap="truncate-end" {...tint(color, TONE_COLOR[message.tone])}>
        {TONE_MARK[message.tone] + message.text}
      </Text>
      {message.hint && body > 1 ? (
        <Box height={body - 1} overflow="hidden">
          <Text wrap="wrap">{message.hint}</Text>
        </Box>
      ) : null}
    </Box>
  )
}

function helpText(mode: Mode, readOnly: boolean, width: number): string {
  if (readOnly) return 'read-only: stdin is not a terminal · Ctrl-C quits'
  if (mode.kind === 'confirm') return 'y confirms · any other key cancels'
  if (mode.kind === 'browse') return width >= BROWSE_HELP.length ? BROWSE_HELP : BROWSE_HELP_NARROW
  switch (mode.purpose) {
    case 'send':
      return `message to ${mode.target} · ⏎ send · Alt+⏎ or Ctrl-J new line · Esc cancel`
    case 'add':
      return `new agent in ${mode.target}: command to run, empty for Claude Code · ⏎ add · Esc cancel`
    case 'task':
      return `new task in ${mode.target}: its title · ⏎ add · Esc cancel`
    case 'assign':
      return `task to give ${mode.target} (claimed for it, sent to it as a message): its id · ⏎ assign · Esc cancel`
    default:
      return 'filter by session, name or status · ⏎ keep · Esc clear'
  }
}

/** Rows the body wants: the input's lines, the message and its (wrapped) hint. */
export function bodyRows(mode: Mode, message: Message | null, width: number, inputLines: number): number {
  if (mode.kind === 'input') return Math.min(inputLines, 6)
  if (mode.kind === 'confirm' || !message?.hint) return 1
  return 1 + Math.min(3, Math.max(1, Math.ceil(message.hint.length / Math.max(1, width))))
}
