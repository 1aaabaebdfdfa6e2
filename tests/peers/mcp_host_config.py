"""Drives an MCP server the way an MCP host would, from a host configuration entry.

Usage: python mcp_host_config.py CONFIG_JSON SERVER_NAME EXPECTED_TOOL [CALL_TOOL]

CONFIG_JSON holds `{"mcpServers": {SERVER_NAME: {...}}}` as pasted into a host: an entry
with `url` (and optional `headers`) is reached over Streamable HTTP, one with `command`
(`args`, `env`) is launched over stdio. Lists the tools (EXPECTED_TOOL must be there) and,
given CALL_TOOL, calls it with no arguments; the call must succeed. One line per check;
exits non-zero on the first failure.
"""

import asyncio
import json
import sys

import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client


def connect(entry: dict) -> Client:
    if "url" in entry:
        assert entry.get("type", "http") == "http", entry
        http = httpx2.AsyncClient(headers=entry.get("headers", {}))
        return Client(streamable_http_client(entry["url"], http_client=http))
    params = StdioServerParameters(
        command=entry["command"], args=entry.get("args", []), env=entry.get("env")
    )
    return Client(params)


async def main(config: str, name: str, expected: str, call: str | None) -> None:
    with open(config, encoding="utf-8") as f:
        entry = json.load(f)["mcpServers"][name]
    transport = "http" if "url" in entry else "stdio"
    async with connect(entry) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        assert expected in names, names
        print(f"ok: {transport}: tools/list has {expected}")
        if call:
            result = await client.call_tool(call, {})
            assert not result.is_error, result
            print(f"ok: {transport}: {call} -> {json.dumps(result.structured_content)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(main(args[0], args[1], args[2], args[3] if len(args) > 3 else None))
