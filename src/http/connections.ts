// Shutdown must not wait for clients that are not waiting for an answer. Node's server.close() waits for
// every open connection: an idle keep-alive socket, a request whose headers never finish, a body that stalls.
// This tracks which connections carry a request and lets shutdown close the others.
import type { IncomingMessage, Server } from 'node:http';
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
  /** The request each connection is handling (Node hands one request at a time to the app per connection). */
  const handling = new Map<Socket, IncomingMessage>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => (open.delete(socket), handling.delete(socket)));
  });
  server.on('request', (req: IncomingMessage, res) => {
    handling.set(req.socket, req);
    res.once('close', () => {
      if (handling.get(req.socket) === req) handling.delete(req.socket);
    });
  });
  return {
    closeStragglers(bodyGraceMs) {
      for (const socket of open) if (!handling.has(socket)) socket.destroy();
      const timer = setTimeout(() => {
        for (const [socket, req] of handling) if (!req.complete) socket.destroy();
      }, bodyGraceMs);
      timer.unref();
    },
  };
}
