// Verifies a Sigstore bundle with sigstore-js, independently of abt: node verify-bundle.js BUNDLE.json PUBLIC.pem
// The public key is the only trust material (no Fulcio, Rekor or TSA), keyed by the bundle's publicKey hint, as
// @sigstore/verify's toTrustMaterial(root, keys) takes it. Prints the in-toto statement's predicateType on success.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON } = require('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

const [bundlePath, keyPath] = process.argv.slice(2);
const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
const publicKey = crypto.createPublicKey(fs.readFileSync(keyPath, 'utf8'));
const hint = bundle.verificationMaterial.content.publicKey.hint;
const root = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };
const trust = toTrustMaterial(root, { [hint]: { rawBytes: publicKey.export({ type: 'spki', format: 'der' }), keyDetails: 5 } });
try {
  new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
} catch (e) {
  console.error(`verification failed: ${e.code || ''} ${e.message}`);
  process.exit(1);
}
const statement = JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString('utf8'));
console.log(`verified: ${statement.predicateType}`);
