"""The FastMCP baseline: the same three vSphere session operations, built with
FastMCP.from_openapi, served stateless with JSON responses (as the Rust server is).

usage: fastmcp_server.py OPENAPI_JSON UPSTREAM_BASE_URI PORT
"""

import json
import sys

import httpx2
import uvicorn
from fastmcp import FastMCP
from fastmcp.server.providers.openapi import MCPType, RouteMap


def main() -> None:
    spec_path, base_uri, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    spec["servers"] = [{"url": base_uri}]
    # The upstream call is authenticated as the Rust gateway's is (static token here).
    client = httpx2.AsyncClient(
        base_url=base_uri, headers={"vmware-api-session-id": "bench-token"}
    )
    mcp = FastMCP.from_openapi(
        openapi_spec=spec,
        client=client,
        name="vsphere-session-mcp",
        # Every operation a tool (FastMCP's default too). FastMCP slugifies the operationIds:
        # its tool is `vmware_get_current_session_information`.
        route_maps=[RouteMap(mcp_type=MCPType.TOOL)],
    )
    app = mcp.http_app(path="/mcp", stateless_http=True, json_response=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
