#!/bin/sh
# Makes the secret files compose mounts (once; existing files are kept). Keep ./secrets out of
# version control and backed up with the same care as the databases: without the codec keys,
# Temporal's payloads cannot be read.
set -eu
cd "$(dirname "$0")"
mkdir -p secrets
chmod 700 secrets
random() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }
keep() { [ -s "secrets/$1" ] || { printf '%s' "$2" > "secrets/$1"; chmod 600 "secrets/$1"; }; }
keep postgres_waymark_password "$(random)"
keep temporal_db_password "$(random)"
keep waymark_database_url "postgresql://waymark:$(cat secrets/postgres_waymark_password)@waymark-db:5432/waymark"
keep waymark_codec_keys "$(python3 -c 'import base64, json, os, time; print(json.dumps({time.strftime("%Y-%m"): base64.b64encode(os.urandom(32)).decode()}))')"
keep waymark_secret_key "$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
keep waymark_metrics_token "$(random)"
keep waymark_notify_callback_token "$(random)"
# Mail goes to Mailpit here; put a GOV.UK Notify key in this file to send texts and letters.
keep waymark_notify_api_key ""
echo "secrets are in $(pwd)/secrets"
