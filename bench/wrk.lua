-- One wrk script for every load in bench/run.sh.
--   BENCH_MCP=1    POST a JSON-RPC tools/call of the read-only tool (stateless JSON mode)
--   otherwise      GET the path given on the wrk command line
-- Both send the vSphere session header, so the gateway's upstream call is authenticated.
-- No response() hook: it would make wrk hand every body to Lua and slow the load generator.
-- run.sh checks one answer of each target with curl first; wrk counts non-2xx as errors.
-- done() prints one machine-readable line that run.sh collects.

wrk.headers["vmware-api-session-id"] = "bench-token"

if os.getenv("BENCH_MCP") == "1" then
  wrk.method = "POST"
  wrk.headers["content-type"] = "application/json"
  wrk.headers["accept"] = "application/json, text/event-stream"
  wrk.headers["mcp-protocol-version"] = "2025-11-25"
  -- FastMCP slugifies tool names: BENCH_TOOL=vmware_get_current_session_information there.
  local tool = os.getenv("BENCH_TOOL") or "vmware-get-current-session-information"
  wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call",'
    .. '"params":{"name":"' .. tool .. '","arguments":{}}}'
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
