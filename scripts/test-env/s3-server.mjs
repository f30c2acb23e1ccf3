#!/usr/bin/env node
// The test bench's S3-compatible object store: s3rver (the maintained @20minutes fork, a devDependency)
// on 127.0.0.1 only, objects kept as files under DIR, requests signed with SigV4 and checked against
// s3rver's fixed key pair (S3RVER / S3RVER). Started and stopped by test-env.sh like the other daemons.
//   node scripts/test-env/s3-server.mjs DIR PORT
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  console.error('usage: s3-server.mjs DIR PORT');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory: path.join(dir, 'data'),
  silent: true,
  // Path-style requests only (http://127.0.0.1:PORT/bucket/key): no wildcard DNS on the bench.
  vhostBuckets: false,
  configureBuckets: [{ name: 'pier-test' }],
});
await server.run();
writeFileSync(path.join(dir, 's3.pid'), `${process.pid}\n`);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
