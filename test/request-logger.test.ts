import { Writable } from 'node:stream';
import Fastify, { LogController } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RequestLogger, requestLogger } from '../src/http/request-logger.js';

const sink = () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  return { lines, stream };
};

describe('request logger', () => {
  it('makes the pino child on the first log call only, with the same bindings', () => {
    const { lines, stream } = sink();
    const parent = pino({ level: 'info' }, stream);
    let children = 0;
    const counting = Object.assign(Object.create(parent) as typeof parent, { child: (...a: Parameters<typeof parent.child>) => (children++, parent.child(...a)) });
    const log = new RequestLogger(counting, { reqId: 'r-1' }, {});
    expect(log.level).toBe('info');
    log.debug('below the level');
    expect(children).toBe(1); // a call made it (pino then drops the line)
    log.info({ a: 1 }, 'hello');
    log.error(new Error('boom'));
    expect(children).toBe(1);
    expect(lines.map((l) => [l.reqId, l.msg, l.a])).toEqual([
      ['r-1', 'hello', 1],
      ['r-1', 'boom', undefined],
    ]);
    const quiet = new RequestLogger(counting, { reqId: 'r-2' }, {});
    expect(quiet.level).toBe('info');
    expect(children).toBe(1);
  });

  it('serves Fastify: request logs carry the request id, and a level set on the child is its own', async () => {
    const { lines, stream } = sink();
    const app = Fastify({ loggerInstance: pino({ level: 'info' }, stream), childLoggerFactory: requestLogger, genReqId: () => 'req-7', logController: new LogController({ disableRequestLogging: true }) });
    app.get('/', async (req) => {
      req.log.info({ step: 1 }, 'inside');
      req.log.level = 'error';
      req.log.info('dropped');
      return { level: req.log.level };
    });
    const res = await app.inject('/');
    expect(res.json()).toEqual({ level: 'error' });
    expect(lines.filter((l) => l.msg === 'inside' || l.msg === 'dropped').map((l) => [l.reqId, l.msg, l.step])).toEqual([['req-7', 'inside', 1]]);
    expect(app.log.level).toBe('info');
    await app.close();
  });
});
