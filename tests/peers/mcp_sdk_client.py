"""Drives a generated vSphere session MCP server with the official Python MCP SDK.

Usage: python mcp_sdk_client.py MCP_URL MODE   (MODE: legacy | 2026-07-28)

The server must be started with --demo (any non-empty user:password logs in). Prints one
line per check and exits non-zero on the first failure.
"""

import asyncio
import base64
import sys

import httpx2
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

EXPECTED_HINTS = {
    "vmware-create-new-authentication-session": (False, False, False),
    "vmware-terminate-current-session": (False, True, True),
    "vmware-get-current-session-information": (True, False, True),
}


def client(url: str, mode: str, headers: dict) -> Client:
    http = httpx2.AsyncClient(headers=headers)
    return Client(streamable_http_client(url, http_client=http), mode=mode)


async def main(url: str, mode: str) -> None:
    basic = base64.b64encode(b"administrator@vsphere.local:secret").decode()
    async with client(url, mode, {"Authorization": f"Basic {basic}"}) as c:
        listed = await c.list_tools()
        names = sorted(t.name for t in listed.tools)
        assert names == sorted(EXPECTED_HINTS), names
        for tool in listed.tools:
            a = tool.annotations
            got = (a.read_only_hint, a.destructive_hint, a.idempotent_hint)
            assert got == EXPECTED_HINTS[tool.name], (tool.name, got)
            assert a.open_world_hint is True, tool.name
            assert tool.input_schema.get("type") == "object", tool.input_schema
        print(f"ok: {mode}: tools/list: 3 tools, annotations match the spec's hints")

        created = await c.call_tool("vmware-create-new-authentication-session", {})
        assert not created.is_error, created
        token = created.structured_content["result"]
        assert isinstance(token, str) and len(token) >= 16, created.structured_content
        print(f"ok: {mode}: create session -> token")

        try:
            await c.call_tool("no-such-tool", {})
        except MCPError as e:
            assert e.code == -32602, (e.code, e.message)
        else:
            raise AssertionError("an unknown tool must be a JSON-RPC error")
        print(f"ok: {mode}: unknown tool -> JSON-RPC error -32602")

    empty_password = base64.b64encode(b"administrator@vsphere.local:").decode()
    async with client(url, mode, {"Authorization": f"Basic {empty_password}"}) as c:
        refused = await c.call_tool("vmware-create-new-authentication-session", {})
        assert refused.is_error, refused
        assert "401" in refused.content[0].text, refused.content
        print(f"ok: {mode}: bad credentials -> isError (upstream 401)")

    async with client(url, mode, {"vmware-api-session-id": token}) as c:
        info = await c.call_tool("vmware-get-current-session-information", {})
        assert not info.is_error, info
        sc = info.structured_content
        assert sc["user"] == "administrator@vsphere.local", sc
        assert "created_time" in sc and "last_accessed_time" in sc, sc
        print(f"ok: {mode}: read-only tool -> session info for {sc['user']}")

        deleted = await c.call_tool("vmware-terminate-current-session", {})
        assert not deleted.is_error, deleted
        again = await c.call_tool("vmware-get-current-session-information", {})
        assert again.is_error, again
        print(f"ok: {mode}: terminate -> the token no longer works (isError)")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
