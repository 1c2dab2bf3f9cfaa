// DAISY Ace kept running for a batch: one Chromium (Debian's, via PUPPETEER_EXECUTABLE_PATH)
// launched once and reused for every EPUB, instead of a Node start and a browser per document.
// Protocol: one JSON line per job on stdin {"id": number, "epub": path, "outdir": path}; one
// line back on stdout per job, "ACE-RESULT " + JSON {"id": number, "ok": bool, "error":
// string}; Ace writes report.json to outdir. Jobs run side by side (each on pages of its own
// in the shared browser), so answers may come back in another order than the jobs.
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

// The run that started this worker (its pid is the argument) was killed (kill -9): the end of
// stdin below waits for the jobs in hand, so the worker also watches its parent and exits at
// once when it is gone (also when it was gone before this line ran); puppeteer kills the
// browser it launched when this process exits.
const PARENT_POLL_MS = 500;
const run = Number(process.argv[2]);
setInterval(() => { if (process.ppid !== run) process.exit(0); }, PARENT_POLL_MS).unref();

const reply = (result) => process.stdout.write(`ACE-RESULT ${JSON.stringify(result)}\n`);
const running = new Set();
let first = true;
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let job = {};
  const done = (async () => {
    try {
      job = JSON.parse(line);
      const initLogger = first;  // Ace's logger is set up once, by the first job
      first = false;
      await ace(job.epub, { cwd: process.cwd(), outdir: job.outdir, silent: true,
                            initLogger, jobid: '' }, shared);
      reply({ id: job.id, ok: true, error: '' });
    } catch (err) {
      reply({ id: job.id, ok: false, error: String(err && err.message ? err.message : err) });
    }
  })();
  running.add(done);
  done.finally(() => running.delete(done));
});
lines.on('close', () => {
  Promise.allSettled([...running])
    .then(async () => { if (launched) { await launched; await runner.close(); } })
    .finally(() => process.exit(0));
});
