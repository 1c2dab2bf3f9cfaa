// DAISY Ace kept running for a batch: one Chromium (Debian's, via PUPPETEER_EXECUTABLE_PATH)
// launched once and reused for every EPUB, instead of a Node start and a browser per document.
// Protocol: one JSON line per job on stdin {"epub": path, "outdir": path}; one line back on
// stdout, "ACE-RESULT " + JSON {"ok": bool, "error": string}; Ace writes report.json to outdir.
'use strict';

const readline = require('readline');
const ace = require('@daisy/ace-core');
const runner = require('@daisy/ace-axe-runner-puppeteer');

let launched = null;
const shared = {
  concurrency: runner.concurrency,
  setTimeout: (ms) => runner.setTimeout(ms),
  launch: () => { launched = launched || runner.launch(); return launched; },
  close: () => Promise.resolve(),  // closed once, when stdin ends
  run: (...args) => runner.run(...args),
};

const reply = (result) => process.stdout.write(`ACE-RESULT ${JSON.stringify(result)}\n`);
let queue = Promise.resolve();
let first = true;
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      const job = JSON.parse(line);
      await ace(job.epub, { cwd: process.cwd(), outdir: job.outdir, silent: true,
                            initLogger: first, jobid: '' }, shared);
      first = false;
      reply({ ok: true, error: '' });
    } catch (err) {
      reply({ ok: false, error: String(err && err.message ? err.message : err) });
    }
  });
});
lines.on('close', () => {
  queue.then(async () => { if (launched) { await launched; await runner.close(); } })
    .finally(() => process.exit(0));
});
