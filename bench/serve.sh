# Shared by the HTTP benchmarks: source it after stats.sh, with ROOT and WORK set.
# start_serve PORT [ARGS...]: starts `spool serve` in the background and waits until it answers;
# sets SERVE_PID (the JVM's own: the launcher execs it) and URL. stop_serve ends it.
TOKEN="bench-token-0123456789abcdef"
start_serve() {
  local port=$1
  shift
  SPOOL_API_TOKENS="$TOKEN" "$ROOT/spool" serve --port "$port" "$@" >"$WORK/serve-$port.log" 2>&1 &
  SERVE_PID=$!
  URL="http://127.0.0.1:$port"
  for _ in $(seq 150); do
    if curl -sf "$URL/healthz" >/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "spool serve did not start:" >&2
  cat "$WORK/serve-$port.log" >&2
  exit 1
}
stop_serve() {
  kill "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
}
auth=(-H "Authorization: Bearer $TOKEN")
