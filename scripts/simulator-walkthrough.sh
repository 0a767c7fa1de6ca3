#!/usr/bin/env bash
# The simulator by hand, with curl only on the wire (node just for base64url and JSON): the seeded provider
# 310149942 signs Maskinporten grants through the simulated AWS KMS (SigV4-signed JSON 1.1 calls), gets a
# token for tenant 313876144 (consumer_org), creates a consent request at Altinn for person 03867199348,
# accepts it as the person, and gets the consent token. Needs a running simulator (`npm start`).
set -euo pipefail

SIM=${SIMULATOR_URL:-http://127.0.0.1:${SIMULATOR_PORT:-3100}}
ISSUER="$SIM/"
CLIENT_ID=${MASKINPORTEN_CLIENT_ID:-sgw-local-client}
KEY_ID=${KMS_KEY_ID:-alias/sgw-maskinporten}
REGION=${AWS_REGION:-eu-north-1}
TENANT=313876144
PERSON=03867199348

js() { node -e "$1" "${@:2}"; }
step() { printf '\n== %s\n' "$*"; }

kms() { # kms <Operation> <json body>
  curl -sS --fail-with-body "$SIM/" \
    --aws-sigv4 "aws:amz:$REGION:kms" --user "${KMS_ACCESS_KEY_ID:-AKIDLOCALSIMULATOR}:${KMS_SECRET_ACCESS_KEY:-local-simulator-secret}" \
    -H "X-Amz-Target: TrentService.$1" -H 'Content-Type: application/x-amz-json-1.1' -d "$2"
}

step "KMS GetPublicKey $KEY_ID → JWK thumbprint as kid (RFC 7638)"
public_key=$(kms GetPublicKey "{\"KeyId\":\"$KEY_ID\"}")
KID=$(js '
  const { createPublicKey, createHash } = require("node:crypto");
  const der = Buffer.from(JSON.parse(process.argv[1]).PublicKey, "base64");
  const { e, kty, n } = createPublicKey({ key: der, format: "der", type: "spki" }).export({ format: "jwk" });
  process.stdout.write(createHash("sha256").update(JSON.stringify({ e, kty, n })).digest("base64url"));
' "$public_key")
echo "kid=$KID"

grant() { # grant <extra claims as JSON object> → a JWT signed by KMS Sign over the JWS signing input
  local signing_input signature
  signing_input=$(js '
    const now = Math.floor(Date.now() / 1000);
    const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const header = { alg: "RS256", kid: process.argv[1], typ: "JWT" };
    const claims = { aud: process.argv[2], iss: process.argv[3], iat: now, exp: now + 60,
      jti: require("node:crypto").randomUUID(), ...JSON.parse(process.argv[4]) };
    process.stdout.write(`${b64(header)}.${b64(claims)}`);
  ' "$KID" "$ISSUER" "$CLIENT_ID" "$1")
  signature=$(kms Sign "{\"KeyId\":\"$KEY_ID\",\"Message\":\"$(printf %s "$signing_input" | base64 -w0)\",\"MessageType\":\"RAW\",\"SigningAlgorithm\":\"RSASSA_PKCS1_V1_5_SHA_256\"}" |
    js 'process.stdout.write(Buffer.from(JSON.parse(require("node:fs").readFileSync(0, "utf8")).Signature, "base64").toString("base64url"))')
  printf '%s.%s' "$signing_input" "$signature"
}

token() { # token <assertion> → the access token
  curl -sS --fail-with-body "${ISSUER}token" \
    --data-urlencode 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer' --data-urlencode "assertion=$1" |
    js 'process.stdout.write(JSON.parse(require("node:fs").readFileSync(0, "utf8")).access_token)'
}

claims() { # claims <jwt> [field...] → the decoded payload (or some of its fields)
  js '
    const payload = JSON.parse(Buffer.from(process.argv[1].split(".")[1], "base64url").toString());
    const fields = process.argv.slice(2);
    const shown = fields.length ? Object.fromEntries(fields.map((f) => [f, payload[f]])) : payload;
    console.log(JSON.stringify(shown, null, 2));
  ' "$@"
}

step "Maskinporten token for consumer_org=$TENANT (scopes delegated by the tenant to the provider)"
ACCESS_TOKEN=$(token "$(grant "{\"scope\":\"altinn:consentrequests.write altinn:consentrequests.read\",\"consumer_org\":\"$TENANT\"}")")
claims "$ACCESS_TOKEN" consumer supplier delegation_source scope

CONSENT_ID=$(js 'process.stdout.write(require("node:crypto").randomUUID())')
VALID_TO=$(js 'process.stdout.write(new Date(Date.now() + 30 * 864e5).toISOString())')
step "Altinn: create consent request $CONSENT_ID from person $PERSON to $TENANT"
curl -sS --fail-with-body "$SIM/accessmanagement/api/v1/enterprise/consentrequests" \
  -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Content-Type: application/json' -d "{
    \"id\": \"$CONSENT_ID\",
    \"from\": \"urn:altinn:person:identifier-no:$PERSON\",
    \"to\": \"urn:altinn:organization:identifier-no:$TENANT\",
    \"validTo\": \"$VALID_TO\",
    \"consentRights\": [{
      \"action\": [\"consent\"],
      \"resource\": [{ \"type\": \"urn:altinn:resource\", \"value\": \"ttd_inntektsopplysninger\" }],
      \"metadata\": { \"INNTEKTSAAR\": \"2025\" }
    }],
    \"requestMessage\": { \"nb\": \"Vi ber om samtykke til å hente inntektsopplysninger.\" },
    \"redirectUrl\": \"https://bank.example/consent/return?ref=$CONSENT_ID\"
  }" | js 'const d = JSON.parse(require("node:fs").readFileSync(0, "utf8")); console.log(JSON.stringify({ status: d.status, viewUri: d.viewUri }))'

step "The person accepts (simulator control API)"
curl -sS --fail-with-body -X POST "$SIM/_sim/consents/$CONSENT_ID/accept"
echo

step "Consent token (authorization_details urn:altinn:consent)"
CONSENT_TOKEN=$(token "$(grant "{\"scope\":\"altinn:consentrequests.read\",\"consumer_org\":\"$TENANT\",\"authorization_details\":[{\"type\":\"urn:altinn:consent\",\"id\":\"$CONSENT_ID\",\"from\":\"urn:altinn:person:identifier-no:$PERSON\"}]}")")
claims "$CONSENT_TOKEN" consumer supplier authorization_details

step "Upstream calls seen by the simulator"
curl -sS "$SIM/_sim/stats"
echo
