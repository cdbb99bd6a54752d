import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { tempDir } from '../../support/temp-dir.js';
import { makeTestCertificate } from './test-certificate.js';
import { waitForFile } from './wait-for-file.js';

const RSYSLOGD = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((p) => existsSync(p));
const OSSL_MODULE = [
  '/usr/lib/x86_64-linux-gnu/rsyslog',
  '/usr/lib/aarch64-linux-gnu/rsyslog',
  '/usr/lib/rsyslog',
].some((dir) => existsSync(path.join(dir, 'lmnsd_ossl.so')));

/** Debian packages: `rsyslog` (UDP/TCP) and `rsyslog-openssl` (TLS). */
export const RSYSLOG_AVAILABLE = RSYSLOGD !== undefined && spawnSync(RSYSLOGD, ['-v']).status === 0;
export const RSYSLOG_TLS_AVAILABLE = RSYSLOG_AVAILABLE && OSSL_MODULE;
export const RSYSLOG_INSTALL = 'apt-get install rsyslog rsyslog-openssl (.ci/run installs both)';

export interface RsyslogReceiver {
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly tlsPort: number;
  /** PEM of the receiver's self-signed TLS certificate, to trust as CA. */
  readonly caCert: Buffer;
  /** Everything received, re-serialised by rsyslog as RFC 5424 (RSYSLOG_SyslogProtocol23Format). */
  readonly outputFile: string;
  stop(): Promise<void>;
}

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Runs a private rsyslogd in the foreground, listening on loopback only, writing to a temp dir. */
export async function startRsyslog(): Promise<RsyslogReceiver> {
  if (!RSYSLOGD || !RSYSLOG_AVAILABLE)
    throw new Error(
      `rsyslogd is missing (looked for /usr/sbin/rsyslogd and /sbin/rsyslogd, or it did not run): ${RSYSLOG_INSTALL}`,
    );
  if (!RSYSLOG_TLS_AVAILABLE)
    throw new Error(
      `rsyslog's TLS driver lmnsd_ossl.so (package rsyslog-openssl) is missing: ${RSYSLOG_INSTALL}`,
    );
  const dir = tempDir('vigil-rsyslog-');
  const cert = makeTestCertificate();
  const [udpPort, tcpPort, tlsPort] = [await freeUdpPort(), await freeTcpPort(), await freeTcpPort()];
  const outputFile = path.join(dir, 'received.log');
  const internalLog = path.join(dir, 'internal.log');
  const config = `
global(workDirectory="${dir}" net.ipprotocol="ipv4-only" net.enableDNS="off" processInternalMessages="on"
  defaultNetstreamDriverCAFile="${cert.certFile}" defaultNetstreamDriverCertFile="${cert.certFile}" defaultNetstreamDriverKeyFile="${path.join(path.dirname(cert.certFile), 'key.pem')}")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port="${udpPort}" ruleset="alerts")
input(type="imtcp" address="127.0.0.1" port="${tcpPort}" ruleset="alerts")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}" ruleset="alerts" streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="anon")
ruleset(name="alerts") { action(type="omfile" file="${outputFile}" template="RSYSLOG_SyslogProtocol23Format") }
# rsyslogd logs "start" once every input is active: our readiness signal.
if $programname == "rsyslogd" then action(type="omfile" file="${internalLog}")
`;
  const configFile = path.join(dir, 'rsyslog.conf');
  writeFileSync(configFile, config);
  const child: ChildProcess = spawn(
    RSYSLOGD,
    ['-n', '-f', configFile, '-i', path.join(dir, 'rsyslogd.pid')],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`rsyslogd exited early with ${code}`))),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([waitForFile(internalLog, (c) => c.includes('] start')), exited]);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    udpPort,
    tcpPort,
    tlsPort,
    caCert: cert.cert,
    outputFile,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
