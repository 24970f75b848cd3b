import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface SmtpOptions {
  /** Called when a message's data starts arriving; the server then waits `delayMs` before accepting it (a slow server). */
  onData?: () => void;
  delayMs?: number;
}

/** A real SMTP server on a free local port that keeps what it receives. */
export async function startSmtpServer(port = 0, options: SmtpOptions = {}): Promise<{ url: string; port: number; mails: ReceivedMail[]; stop(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      options.onData?.();
      stream.on('data', (chunk: Buffer) => { raw += chunk.toString('utf8'); });
      stream.on('end', () => setTimeout(() => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      }, options.delayMs ?? 0));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `smtp://127.0.0.1:${actualPort}`,
    port: actualPort,
    mails,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
