// Shutdown must not wait for clients that are not waiting for an answer. Node's server.close() waits for
// every open connection: an idle keep-alive socket, a request whose headers never finish, a body that stalls.
// This tracks which connections carry a request and lets shutdown close the others.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Connections {
  /**
   * Closes every connection without a request being handled (idle keep-alive, headers still arriving) at
   * once, and a request still sending its body after `bodyGraceMs`; requests received whole are answered.
   */
  closeStragglers(bodyGraceMs: number): void;
}

export function trackConnections(server: Server): Connections {
  const open = new Set<Socket>();
  /**
   * The last answer each connection was given (Node hands one request at a time to the app per connection).
   * Whether it is still being handled is read at shutdown from the answer itself: a listener per request to
   * forget it when done cost every request an allocation and an event more.
   */
  const last = new Map<Socket, ServerResponse>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => (open.delete(socket), last.delete(socket)));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    last.set(req.socket, res);
  });
  /** The request a connection is handling now: its answer not yet sent whole, and the connection not gone. */
  const handling = (socket: Socket): ServerResponse | undefined => {
    const res = last.get(socket);
    return res && !res.writableFinished && !res.destroyed ? res : undefined;
  };
  return {
    closeStragglers(bodyGraceMs) {
      for (const socket of open) if (!handling(socket)) socket.destroy();
      const timer = setTimeout(() => {
        for (const socket of open) if (handling(socket)?.req.complete === false) socket.destroy();
      }, bodyGraceMs);
      timer.unref();
    },
  };
}
