// Starts the AT Protocol reference servers from @atproto/dev-env's TestNetwork
// (PLC directory, PDS, AppView, and the bsync and Ozone services the AppView
// leans on) on free ports of 127.0.0.1, for crier's Go integration tests.
//
// Protocol with the parent process:
//   - stdout carries exactly one line, once everything is ready:
//       {"pds":"http://127.0.0.1:P","appview":"http://127.0.0.1:A","plc":"http://127.0.0.1:L"}
//     Everything else (logs, errors) goes to stderr.
//   - The network shuts down when stdin closes (so it dies with its parent)
//     or on SIGTERM / SIGINT, then the process exits 0.
//
// Environment:
//   CRIER_BSKY_PG_URL   postgres://user:password@127.0.0.1:port/db (required;
//                       DB_POSTGRES_URL is accepted too). Each run gets schemas
//                       of its own in that database and drops them on exit.
//   CRIER_BSKY_TESTNET_LOG=1   turn on the servers' own logs (to stderr).

import dns from 'node:dns'
import fs from 'node:fs'
import module from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

const HOST = '127.0.0.1'
const CLOSE_TIMEOUT_MS = 10_000

// Keep stdout for the one ready line: console output of the libraries goes
// to stderr instead.
const writeResult = (line) => fs.writeSync(1, line + '\n')
for (const name of ['log', 'info', 'debug']) console[name] = console.error

const say = (msg) => process.stderr.write(`bsky-testnet: ${msg}\n`)

const pgUrl = process.env.CRIER_BSKY_PG_URL || process.env.DB_POSTGRES_URL
if (!pgUrl) {
  say('CRIER_BSKY_PG_URL is not set (see scripts/bsky-testnet env)')
  process.exit(2)
}

// The servers call listen(port) with no host, which binds every interface:
// make every TCP listen in this process bind loopback only (get-port's probe
// for a free port included, so it finds ports free on 127.0.0.1).
const ANY_HOST = new Set([undefined, null, '', '0.0.0.0', '::'])
const origListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const [first] = args
  if (first === undefined || typeof first === 'function') {
    args.unshift(0, HOST)
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string' && !ANY_HOST.has(args[1])) {
      // an explicit host: keep it
    } else if (typeof args[1] === 'string') {
      args[1] = HOST
    } else {
      args.splice(1, 0, HOST)
    }
  } else if (first && typeof first === 'object' && !('path' in first) && !('fd' in first) && !('handle' in first) && !('_handle' in first)) {
    if (ANY_HOST.has(first.host)) args[0] = { ...first, host: HOST }
  }
  return origListen.apply(this, args)
}
// The services reach each other through http://localhost:PORT.
dns.setDefaultResultOrder('ipv4first')

// TestNetwork insists on REDIS_HOST but never connects to it.
process.env.REDIS_HOST ||= `${HOST}:6379`
// The libraries' pino loggers write to fd 1 unless told otherwise.
process.env.LOG_DESTINATION = '/dev/stderr'
process.env.LOG_ENABLED = /^(1|true)$/i.test(process.env.CRIER_BSKY_TESTNET_LOG || '') ? 'true' : 'false'

// Node keeps compiled code of the ~5000 modules below in os.tmpdir(), which
// takes about a second off every later start.
module.enableCompileCache?.()

// Loaded only now, so the environment above is in place when the loggers
// are built.
const { TestNetwork } = await import('@atproto/dev-env')
const { default: pg } = await import('pg')

// dev-env's port reservations live in os.tmpdir() and are shared by all
// networks on the machine (that file was loaded above, with the real TMPDIR).
// The servers' data directories and blob stores also go to os.tmpdir(): give
// them a folder of this run's own, removed on exit.
const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crier-bsky-'))
process.env.TMPDIR = runTmp

// dev-env prefixes this with appview_, bsync_ and ozone_, and the services
// accept only [A-Za-z_] in a schema name: the PID is spelled with the letters
// a-j for 0-9, followed by eight random letters.
const DIGITS = 'abcdefghij'
const encodePid = (pid) => String(pid).replace(/\d/g, (d) => DIGITS[d])
const decodePid = (s) => Number(s.replace(/[a-j]/g, (c) => String(DIGITS.indexOf(c))))
const randomLetters = (n) =>
  Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('')
const schemaTag = `crier_${encodePid(process.pid)}_${randomLetters(8)}`
const SCHEMA_RE = /^(appview|bsync|ozone)_crier_([a-j]+)_[a-z]{8}$/

async function withPg(fn) {
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code === 'EPERM'
  }
}

// Drops this run's schemas, and those of runs whose process is gone (one
// killed before it could clean up). The PID test assumes the database serves
// this machine only, as scripts/bsky-testnet's does.
async function dropSchemas({ mine, stale }) {
  await withPg(async (client) => {
    const { rows } = await client.query(
      "SELECT nspname FROM pg_namespace WHERE nspname ~ '^(appview|bsync|ozone)_crier_'",
    )
    for (const { nspname } of rows) {
      const m = SCHEMA_RE.exec(nspname)
      if (!m) continue
      const isMine = nspname.endsWith(`_${schemaTag}`)
      const isStale = !isMine && !alive(decodePid(m[2]))
      if ((mine && isMine) || (stale && isStale)) {
        await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`)
      }
    }
  })
}

let network = null
let stopping = null

function withTimeout(promise, ms, what) {
  let timer
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
      timer.unref()
    }),
  ]).finally(() => clearTimeout(timer))
}

function shutdown(reason, code = 0) {
  if (stopping) return stopping
  say(`stopping (${reason})`)
  const stopStarted = Date.now()
  stopping = (async () => {
    if (network) {
      try {
        await withTimeout(network.close(), CLOSE_TIMEOUT_MS, 'closing the network')
      } catch (err) {
        say(`close: ${err?.stack || err}`)
      }
    }
    try {
      await withTimeout(dropSchemas({ mine: true }), 5_000, 'dropping schemas')
    } catch (err) {
      say(`drop schemas: ${err?.message || err}`)
    }
    fs.rmSync(runTmp, { recursive: true, force: true })
    say(`stopped in ${Date.now() - stopStarted} ms`)
    process.exit(code)
  })()
  return stopping
}

process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
process.stdin.on('end', () => shutdown('stdin closed'))
process.stdin.on('error', () => shutdown('stdin error'))
process.stdin.resume()

// A stray rejection inside one service should not take the network down
// under a running test; it is reported instead.
process.on('unhandledRejection', (err) => say(`unhandled rejection: ${err?.stack || err}`))

try {
  await dropSchemas({ stale: true })
} catch (err) {
  say(`cannot reach PostgreSQL at ${pgUrl.replace(/:[^:@/]*@/, ':***@')}: ${err?.message || err}`)
  fs.rmSync(runTmp, { recursive: true, force: true })
  process.exit(3)
}

const started = Date.now()
try {
  network = await TestNetwork.create({
    dbPostgresUrl: pgUrl,
    dbPostgresSchema: schemaTag,
  })
} catch (err) {
  say(`start failed: ${err?.stack || err}`)
  await shutdown('start failed', 1)
}

if (!stopping) {
  say(`ready in ${Date.now() - started} ms`)
  writeResult(
    JSON.stringify({
      pds: `http://${HOST}:${network.pds.port}`,
      appview: `http://${HOST}:${network.bsky.port}`,
      plc: `http://${HOST}:${network.plc.port}`,
    }),
  )
}
