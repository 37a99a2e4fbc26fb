#!/usr/bin/env bash
# A Hono val next to the same routes written by hand, in Valence and in Node.js, plus the time a save
# of a Hono val takes (first, with an empty package store; then warm). Starts its own runtime on a
# scratch data folder against the public npm registry (NPM_REGISTRY_URL, default registry.npmjs.org,
# allowed through the outbound guard by name), runs the same two apps under `node` from the same
# hono tarball (npm pack), and drives all four with wrk (-t1 -c32), rotating their order each round.
# Usage: bench/hono-vs-node.sh [rounds] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
seconds="${2:-8}"
hono_version=4.13.23
registry="${NPM_REGISTRY_URL:-https://registry.npmjs.org}"
registry_host="$(echo "$registry" | sed -E 's#^[a-z]+://([^/:]+).*#\1#')"
port=18490; node_hono=18491; node_hand=18492
for tool in wrk node npm curl; do command -v "$tool" >/dev/null || { echo "bench/hono-vs-node.sh needs $tool on PATH" >&2; exit 1; }; done
data="$(mktemp -d)"
trap 'kill $pids 2>/dev/null; wait $pids 2>/dev/null; rm -rf "$data"' EXIT
pids=""

VALENCE_DATA_DIR="$data/valence" PORT=$port STATUS_PORT=0 VAL_RATE_PER_MINUTE=0 RECORD_RUNS=true \
  NPM_REGISTRY_URL="$registry" NPM_REGISTRY_ALLOW="$registry_host" ./valence run >"$data/runtime.log" 2>&1 &
pids="$!"
until curl -sf -o /dev/null "localhost:$port/readyz" && [ -s "$data/valence/bootstrap-token" ]; do
  sleep 0.1; kill -0 $pids || { cat "$data/runtime.log"; exit 1; }
done
token="$(cat "$data/valence/bootstrap-token")"

hono_app='import { Hono } from "npm:hono@'$hono_version'";
const app = new Hono();
app.get("/", (c) => c.text("home"));
app.get("/users/:id", (c) => c.json({ id: c.req.param("id") }));
app.post("/users", (c) => c.text("created", 201));
export default app.fetch;'
by_hand='export default (req) => {
  const { pathname } = new URL(req.url);
  if (req.method === "GET" && pathname === "/") return new Response("home", { headers: { "content-type": "text/plain; charset=UTF-8" } });
  const user = pathname.match(/^\/users\/([^/]+)$/);
  if (req.method === "GET" && user) return Response.json({ id: user[1] });
  if (req.method === "POST" && pathname === "/users") return new Response("created", { status: 201 });
  return new Response("404 Not Found", { status: 404 });
};'
body() { node -e 'process.stdout.write(JSON.stringify({name: process.argv[1], type: "http", code: process.argv[2]}))' "$1" "$2"; }
# prints the seconds a save took; fails unless it answered 200/201
save() {
  local method=$1 url=$2 payload=$3 out
  out="$(curl -s -o "$data/save.json" -w '%{http_code} %{time_total}' -X "$method" "localhost:$port$url" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$payload")"
  case "${out%% *}" in 200|201) echo "${out#* }" ;; *) echo "save failed: $out $(cat "$data/save.json")" >&2; exit 1 ;; esac
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { awk -v s="$1" 'BEGIN {printf "%.0f", s * 1000}'; }

save POST /api/v1/vals "$(body warmup 'export default () => new Response("ok")')" >/dev/null
plain_saves=()
for i in 1 2 3 4 5; do
  plain_saves+=("$(save PUT /api/v1/vals/admin/warmup "$(body warmup "export default () => new Response(\"ok $i\")")")")
done
first_hono="$(save POST /api/v1/vals "$(body hono "$hono_app")")"
second_hono="$(save POST /api/v1/vals "$(body hono2 "$hono_app")")"
warm_saves=()
for i in 1 2 3 4 5; do
  warm_saves+=("$(save PUT /api/v1/vals/admin/hono2 "$(body hono2 "$hono_app
// edit $i")")")
done
save POST /api/v1/vals "$(body hand "$by_hand")" >/dev/null

mkdir -p "$data/node/node_modules"
(cd "$data/node" && npm pack --silent --registry "$registry" "hono@$hono_version" >/dev/null \
  && mkdir node_modules/hono && tar xzf "hono-$hono_version.tgz" -C node_modules/hono --strip-components 1)
# the same two apps under Node's own http server: the request handed to the val's fetch function as a
# WHATWG Request, its Response written back (what a Node adapter for Hono does)
serve='import http from "node:http";
export function serve(fetchApp, port) {
  http.createServer(async (req, res) => {
    const response = await fetchApp(new Request("http://127.0.0.1:" + port + req.url, { method: req.method, headers: req.headers }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  }).listen(port, "127.0.0.1");
}'
echo "$serve" >"$data/node/serve.mjs"
echo "$hono_app" | sed "s#npm:hono@$hono_version#hono#; s#^export default app.fetch;#import { serve } from \"./serve.mjs\"; serve(app.fetch, $node_hono);#" >"$data/node/hono.mjs"
echo "$by_hand" | sed "s#^export default (req)#const app = (req)#" >"$data/node/hand.mjs"
echo "import { serve } from \"./serve.mjs\"; serve(app, $node_hand);" >>"$data/node/hand.mjs"
node "$data/node/hono.mjs" & pids="$pids $!"
node "$data/node/hand.mjs" & pids="$pids $!"
sleep 1

names=("Valence, Hono" "Valence, by hand" "Node, Hono" "Node, by hand")
urls=("localhost:$port/v/admin/hono/users/42" "localhost:$port/v/admin/hand/users/42" \
      "127.0.0.1:$node_hono/users/42" "127.0.0.1:$node_hand/users/42")
for url in "${urls[@]}"; do
  answer="$(curl -s "http://$url")"
  [ "$answer" = '{"id":"42"}' ] || { echo "http://$url answered $answer, not {\"id\":\"42\"}" >&2; exit 1; }
done
rps() { wrk -t1 -c32 -d"${seconds}s" "http://$1" | awk '/Requests\/sec/ {print $2}'; }
echo "warming up each for $((seconds * 4)) s..." >&2
for url in "${urls[@]}"; do for i in 1 2 3 4; do rps "$url" >/dev/null; done; done
declare -A runs
for round in $(seq "$rounds"); do
  for k in 0 1 2 3; do
    j=$(( (k + round) % 4 ))
    runs[$j]="${runs[$j]:-} $(rps "${urls[$j]}")"
  done
done

echo "saves (curl's total time; median of 5 where several):"
printf '  save of a val without packages:            %s ms  (runs: %s)\n' "$(ms "$(median "${plain_saves[@]}")")" "$(for s in "${plain_saves[@]}"; do ms "$s"; printf ' '; done)"
printf '  first save of a Hono val, empty store:     %s ms\n' "$(ms "$first_hono")"
printf '  save of a second Hono val (store warm):    %s ms\n' "$(ms "$second_hono")"
printf '  save of an edited Hono val (lock reused):  %s ms  (runs: %s)\n' "$(ms "$(median "${warm_saves[@]}")")" "$(for s in "${warm_saves[@]}"; do ms "$s"; printf ' '; done)"
echo "GET /users/42, wrk -t1 -c32, ${rounds} rounds of ${seconds} s (median req/s, runs):"
declare -a med
for k in 0 1 2 3; do
  # shellcheck disable=SC2086
  med[$k]="$(median ${runs[$k]})"
  printf '  %-18s %10s req/s  (runs:%s)\n' "${names[$k]}" "${med[$k]}" "${runs[$k]}"
done
awk -v vh="${med[0]}" -v vm="${med[1]}" -v nh="${med[2]}" -v nm="${med[3]}" 'BEGIN {
  printf "  cost of Hono over hand routing, Valence: %.2fx (goal <= 1.3x)\n", vm / vh
  printf "  cost of Hono over hand routing, Node:    %.2fx\n", nm / nh
  printf "  Valence Hono vs Node Hono (throughput):  %.2fx\n", vh / nh
}'
