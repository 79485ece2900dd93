/**
 * The ONE JXA script that drives iTerm2. It is a constant: osascript reads it from stdin, identical
 * for every call, and every value (text, titles, ids) arrives as ASCII JSON in argv[0]. Nothing it
 * receives is ever evaluated. It answers with ASCII JSON `{protocol, ok, result | error}` returned
 * from run() (console.log inside run() may print nothing on recent macOS, iterm2.md P17).
 *
 * Rules it follows (iterm2.md): address iTerm2 by bundle id; identify sessions by GUID, windows by
 * id, never by a remembered index; fetch one window's [tab][pane] id matrix in one event; never
 * launch iTerm2 except to create a tab; retry once when an object vanishes between two events.
 * Written in ES5 style so any JavaScriptCore that runs JXA accepts it.
 */
import {DRIVER_OPERATIONS} from './driver-operations.js'

export const DRIVER_SCRIPT = String.raw`'use strict';
var PROTOCOL = 1;
var BUNDLE_ID = 'com.googlecode.iterm2';
var AGENT_TAG = 'user.ccmcpAgent';

function ascii(value) {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, function (c) {
    return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
}

function errorNumber(e) {
  return e && typeof e.errorNumber === 'number' ? e.errorNumber : null;
}

function errorMessage(e) {
  return String(e && e.message ? e.message : e);
}

// The object vanished between two events (a tab closed meanwhile): worth one more look.
function isGone(e) {
  var n = errorNumber(e);
  return n === -1728 || n === -1719;
}

// Errors that no per-window fallback can get around: permission, iTerm2 gone.
function isFatal(e) {
  var n = errorNumber(e);
  return n === -1743 || n === -10004 || n === -600 || n === -609;
}

function isMatrix(value) {
  if (!value || typeof value.length !== 'number') return false;
  for (var i = 0; i < value.length; i++) {
    if (!value[i] || typeof value[i] === 'string' || typeof value[i].length !== 'number') return false;
  }
  return true;
}

// [tab][pane] session ids of one window: one event, or one per tab where the nested getter
// comes back flat.
function sessionMatrix(win) {
  var matrix = win.tabs.sessions.id();
  if (isMatrix(matrix)) return matrix;
  var out = [];
  var count = win.tabs.length;
  for (var t = 0; t < count; t++) out.push(win.tabs[t].sessions.id());
  return out;
}

// Calls visit(windowId, tabIndex, paneCount, sessionId) for every session, window by window;
// a window that cannot be read (hotkey window, closing) is skipped. Stops when visit returns true.
function eachSession(app, visit) {
  var windowIds = app.windows.id() || [];
  for (var i = 0; i < windowIds.length; i++) {
    var matrix;
    try {
      matrix = sessionMatrix(app.windows.byId(windowIds[i]));
    } catch (e) {
      if (isFatal(e)) throw e;
      continue;
    }
    for (var t = 0; t < matrix.length; t++) {
      var row = matrix[t] || [];
      for (var p = 0; p < row.length; p++) {
        if (visit(windowIds[i], t, row.length, String(row[p])) === true) return;
      }
    }
  }
}

function locate(app, sessionId) {
  var found = null;
  eachSession(app, function (windowId, tabIndex, panes, id) {
    if (id !== sessionId) return false;
    found = {windowId: windowId, tabIndex: tabIndex, panes: panes};
    return true;
  });
  if (!found) return null;
  var win = app.windows.byId(found.windowId);
  var tab = win.tabs[found.tabIndex];
  return {win: win, windowId: found.windowId, tab: tab, session: tab.sessions.byId(sessionId), panes: found.panes};
}

// Runs fn on the located session; if it vanished mid-way, locates it again once. fn keeps its
// own progress, so a retry never repeats what already happened.
function withSession(app, sessionId, fn) {
  if (!app.running()) return {found: false, running: false};
  for (var attempt = 0; ; attempt++) {
    var where = locate(app, sessionId);
    if (!where) return {found: false, running: true};
    try {
      return fn(where);
    } catch (e) {
      if (!isGone(e) || attempt > 0) throw e;
    }
  }
}

${DRIVER_OPERATIONS}
var OPS = {create: opCreate, list: opList, write: opWrite, read: opRead, close: opClose, focus: opFocus};

function run(argv) {
  var request;
  try {
    request = JSON.parse(argv[0]);
  } catch (e) {
    return ascii({protocol: PROTOCOL, ok: false, error: {kind: 'bad-request', message: 'argv[0] is not JSON', number: null}});
  }
  if (!request || request.v !== PROTOCOL || !OPS.hasOwnProperty(request.op)) {
    return ascii({protocol: PROTOCOL, ok: false, error: {kind: 'bad-request', message: 'unknown protocol or operation', number: null}});
  }
  try {
    var app = Application(BUNDLE_ID);
    return ascii({protocol: PROTOCOL, ok: true, result: OPS[request.op](app, request)});
  } catch (e) {
    return ascii({protocol: PROTOCOL, ok: false, error: {kind: 'apple-event', message: errorMessage(e), number: errorNumber(e)}});
  }
}
`
