// A request can be answered before its body has been read to the end: a refusal in onRequest (a bad key, a
// throttled address), a body over the limit by its Content-Length, a form with too many fields (refused while
// it arrives, form-body.ts), a multipart body refused part-way (a file part, too many fields). Node reads
// ("dumps") a body nobody started reading, however long it is, and leaves a body someone started reading and
// abandoned where it is: the socket stays paused and the client's next request on that keep-alive connection
// waits for the request timeout (a 408 some 30 s later). Here, when the answer is sent:
// - a body that has fully arrived, or whose Content-Length says at most DRAIN_LIMIT bytes, is drained (read and
//   dropped), so the connection serves the client's next request at once;
// - a longer or chunked body is not read at all: the answer carries `Connection: close`, the server sends it
//   and half-closes, and closes the connection LINGER_MS later (or when the client has gone). Nothing more is
//   read meanwhile, so a client refused with a large body costs one answer, not the reading of its body; and
//   the connection is not reset at once, which could make the client lose the answer it is being sent.
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DRAIN_LIMIT = 64 * 1024;
export const LINGER_MS = 1000;

/** Instead of Node's end-then-destroy once the answer is out: end (FIN), stop reading, destroy a moment later. */
function linger(socket: Socket): void {
  socket.destroySoon = function destroySoon(this: Socket) {
    this.pause();
    this.end();
    setTimeout(() => this.destroy(), LINGER_MS).unref();
  };
}

/** In onSend: drains the rest of a short unread body, or closes the connection after the answer (see above). */
export function leaveUnreadBody(req: FastifyRequest, reply: FastifyReply, drainLimit = DRAIN_LIMIT): void {
  const raw = req.raw;
  // Read to the end, or nothing left to read (requests without a body): the usual case, nothing to do.
  if (raw.readableEnded || raw.destroyed || (raw.complete && raw.readableLength === 0)) return;
  const length = Number(raw.headers['content-length']);
  if (raw.complete || length <= drainLimit) {
    reply.removeHeader('connection'); // Fastify closes after any body error; a drained body needs no close
    raw.unpipe(); // into nothing: a body parser (form-body.ts's counter) no longer needs the rest
    raw.resume();
  } else {
    reply.header('connection', 'close');
    linger(raw.socket);
  }
}

/** leaveUnreadBody as an onSend hook of its own (an app whose own onSend hook does not call it). */
export function registerUnreadBodies(app: FastifyInstance, drainLimit = DRAIN_LIMIT): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    leaveUnreadBody(req, reply, drainLimit);
    done(null, payload);
  });
}
