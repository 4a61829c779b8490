import { connect } from 'node:net';

/**
 * Sends raw bytes on a fresh TCP connection to the server of `url` and resolves with everything it
 * wrote back (read as latin1), once it closes — or after 10 s, for a server that never answers.
 */
export function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname, () => sock.write(bytes));
    let out = '';
    sock.on('data', (d) => (out += d.toString('latin1')));
    sock.on('end', () => resolve(out));
    sock.on('close', () => resolve(out));
    sock.on('error', reject);
    sock.setTimeout(10_000, () => {
      sock.destroy();
      resolve(out);
    });
  });
}
