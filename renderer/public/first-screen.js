/*
 * First screen first (benchmark 7): a page opened on a case (`/?case=<id>`, no selection in its hash) over HTTP asks
 * for what its first screen shows — the log's outline and first page, the case, its steps — before the app's
 * bundle is even parsed (a classic script, loaded ahead of it). The app's HTTP transport (renderer/src/transport.ts)
 * answers the first identical call of a pane from these responses. Nothing here runs in the desktop app (its
 * preload gives the page `window.runlens`: calls go over IPC) or on the start page.
 */
/* global window, location, fetch, URLSearchParams */
(function () {
  'use strict';
  if (window.runlens) return;
  var c = new URLSearchParams(location.search).get('case');
  if (!c || !/^[0-9a-f]{24}$/.test(c) || location.hash.replace(/^#/, '') !== '') return;
  var calls = [
    ['log.outline', {}],
    ['log.window', { offset: 0, limit: 500 }],
    ['case.info', {}],
    ['steps.list', {}],
  ];
  var answers = {};
  // the answers already in, by the same key: the log pane draws its first rows in its first render when they are
  // in before the bundle runs (renderer/src/transport.ts peekEarlyAnswer)
  var ready = {};
  calls.forEach(function (m) {
    var body = JSON.stringify(m[1]);
    var key = c + ' ' + m[0] + ' ' + body;
    answers[key] = fetch('/api/cases/' + c + '/' + encodeURIComponent(m[0]), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body,
      credentials: 'same-origin',
    }).then(function (r) {
      return r.text().then(function (text) {
        var a = { status: r.status, statusText: r.statusText, text: text };
        if (key in answers) ready[key] = a;
        return a;
      });
    });
  });
  window.__runlensFirstScreen = answers;
  window.__runlensFirstScreenReady = ready;
})();
